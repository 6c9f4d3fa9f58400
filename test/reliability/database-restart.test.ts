import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminApi, adminApi, CALLBACK, PASSWORD } from "./support/admin";
import { Browser, readForm, tokenClaims } from "./support/browser";
import { ADMIN_KEY, type Portal, startPortal } from "./support/portal";
import { PORTS } from "./support/ports";
import { sqlClient, startPrivateCluster } from "./support/postgres";

/**
 * PostgreSQL crashes (`pg_ctl stop -m immediate`: no shutdown checkpoint, recovery at the next
 * start) while one instance serves a steady mix of pages, logins, profile visits and API calls,
 * then comes back. On a private cluster of the test's own (port 55432), never the shared server.
 */
const USERS = 12;
const WORKERS = 4;
/** A pause between one worker's requests: load, not a saturated machine (it has 2 cores). */
const THINK_MS = 50;

let cluster: Awaited<ReturnType<typeof startPrivateCluster>>;
let portal: Portal;
let api: AdminApi;

beforeAll(async () => {
  cluster = await startPrivateCluster(PORTS.privatePostgres);
  const admin = sqlClient(cluster.url());
  await admin.unsafe("create database gatehouse");
  await admin.end();
  portal = await startPortal({ port: PORTS.restart, databaseUrl: cluster.url("gatehouse") });
  api = adminApi(portal.url);
});

afterAll(async () => {
  await portal?.kill();
  await cluster?.destroy();
});

interface Sample {
  kind: string;
  startedAt: number;
  endedAt: number;
  /** Duration of the (last) HTTP request. */
  ms: number;
  status: number;
  /** For a 503: whether it said so clearly (the page or the JSON error). */
  clear: boolean;
  /** For a successful login: its session id. */
  sid?: string;
}

const clearly = (text: string) =>
  text.includes("Temporarily unavailable") || text.includes('"code":"service.unavailable"');

describe("PostgreSQL restarted under load", () => {
  it("fails fast with a clear 503 while it is down, recovers by itself, loses no session or user", async () => {
    // No cap in the way: every session made must still be there at the end.
    const realm = await api.realm({ max_sessions_per_user: 1000 });
    const users = await Promise.all(
      Array.from({ length: USERS }, async (_, i) => {
        const email = `restart${i}@example.com`;
        const id = await api.user(realm.slug, email);
        const browser = new Browser(portal.url);
        const login = await browser.submit(realm.loginPath, "login-form", { email, password: PASSWORD });
        expect(login.location ?? "").toMatch(new RegExp(`^${CALLBACK}\\?`));
        return { id, email, browser, sid: tokenClaims(login.location as string).sid as string };
      }),
    );
    type User = (typeof users)[number];

    const samples: Sample[] = [];
    let running = true;
    const login = async (b: Browser, i: number) => {
      const page = await b.get(realm.loginPath);
      const form = readForm(page.text, "login-form");
      if (!form) return page;
      const email = `restart${i % USERS}@example.com`;
      return b.post(realm.loginPath, { ...form.fields, email, password: PASSWORD });
    };
    const actions = [
      { kind: "login page", run: (b: Browser) => b.get(realm.loginPath) },
      { kind: "login", run: login },
      {
        kind: "profile",
        run: (_: Browser, i: number) => (users[i % USERS] as User).browser.get(`/${realm.slug}/profile`),
      },
      {
        kind: "api",
        run: (b: Browser, i: number) =>
          b.get(`/api/v1/realms/${realm.slug}/users/${(users[i % USERS] as User).id}`, {
            authorization: `Bearer ${ADMIN_KEY}`,
          }),
      },
    ];
    const worker = async (w: number) => {
      for (let i = w; running; i += WORKERS) {
        const action = actions[i % actions.length] as (typeof actions)[number];
        const startedAt = Date.now();
        let sample: Sample;
        try {
          const answer = await action.run(new Browser(portal.url), i);
          sample = {
            kind: action.kind,
            startedAt,
            endedAt: Date.now(),
            ms: answer.ms,
            status: answer.status,
            clear: clearly(answer.text),
            sid: answer.location?.startsWith(CALLBACK)
              ? (tokenClaims(answer.location).sid as string)
              : undefined,
          };
        } catch (error) {
          // No HTTP answer at all (a reset connection): a failure of its own kind.
          sample = { kind: action.kind, startedAt, endedAt: Date.now(), ms: 0, status: 0, clear: false };
          console.error(error);
        }
        samples.push(sample);
        await sleep(THINK_MS);
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));

    await sleep(3_000);
    await cluster.stop("immediate");
    const downAt = Date.now();
    await sleep(4_000);
    const restartAt = Date.now();
    await cluster.start();
    const upAt = Date.now();
    await sleep(8_000);
    running = false;
    await load;

    const failures = samples.filter((s) => s.status !== 200 && s.status !== 303);
    const summary = (list: Sample[]) =>
      JSON.stringify(list.slice(0, 5).map((s) => [s.kind, s.status, Math.round(s.ms)]));
    // Never anything but 503 (no 500, no dropped connection), always said clearly, always fast.
    expect(
      failures.filter((s) => s.status !== 503),
      summary(failures),
    ).toEqual([]);
    expect(failures.filter((s) => !s.clear)).toEqual([]);
    const slow = failures.filter((s) => s.ms >= 5_000);
    expect(slow, summary(slow)).toEqual([]);
    // Requests made while it was down: all 503, every kind of them.
    const whileDown = samples.filter((s) => s.startedAt > downAt + 200 && s.endedAt < restartAt);
    expect(whileDown.length).toBeGreaterThan(20);
    expect(
      whileDown.every((s) => s.status === 503),
      summary(whileDown),
    ).toBe(true);
    expect(new Set(whileDown.map((s) => s.kind)).size).toBe(actions.length);
    // Back by itself within seconds: everything started 3 s after PostgreSQL was up succeeded.
    const afterRecovery = samples.filter((s) => s.startedAt > upAt + 3_000);
    expect(afterRecovery.length).toBeGreaterThan(20);
    expect(
      afterRecovery.filter((s) => s.status >= 400),
      summary(afterRecovery),
    ).toEqual([]);

    // Nothing lost: every user, every session made before, every login that succeeded under load.
    const listed = await api.ok("GET", `/api/v1/realms/${realm.slug}/users?limit=100`);
    expect(listed.data).toHaveLength(USERS);
    const made = new Set([...users.map((u) => u.sid), ...samples.flatMap((s) => (s.sid ? [s.sid] : []))]);
    const live = new Set((await Promise.all(users.map((u) => api.liveSessionIds(realm.slug, u.id)))).flat());
    expect([...made].filter((sid) => !live.has(sid))).toEqual([]);
    for (const user of users) {
      const profile = await user.browser.get(`/${realm.slug}/profile`);
      expect(profile.status).toBe(200);
      expect(profile.text).toContain(user.email);
    }
  });
});

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
