import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminApi, adminApi, CALLBACK, PASSWORD } from "./support/admin";
import { Browser, readForm, tokenClaims } from "./support/browser";
import { type Portal, startPortal } from "./support/portal";
import { PORTS } from "./support/ports";
import { createDatabase } from "./support/postgres";

/**
 * A sustained password-login load on one instance: 64 browsers at once, for 60 s
 * (RELIABILITY_LOAD_SECONDS), each login end to end over HTTP (fetch the form with a fresh cookie
 * jar, post it, get the 303 to the app). The realm hashes at bcrypt cost 4: the hash is not what
 * is measured here (npm run bench is), the server's behaviour under sustained load is. Properties:
 * no 5xx and no dropped connection, every login that succeeded has a live session afterwards, and
 * the server's memory stays flat (RSS in the last third of the run against the first third, under
 * a 256 MB heap budget: see below).
 */
const CONCURRENCY = 64;
const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS) || 60;
const USERS = 64;
const HEAP_MB = 256;

let db: Awaited<ReturnType<typeof createDatabase>>;
let portal: Portal;
let api: AdminApi;

beforeAll(async () => {
  db = await createDatabase("load");
  portal = await startPortal({
    port: PORTS.load,
    databaseUrl: db.url,
    // A fixed heap budget, as in a container: left alone, V8 grows its heap lazily under load
    // (+170 MB in 60 s here, reclaimable), which reads like a leak. Within a budget, a real leak
    // shows as growth, or as the server dying (dropped connections).
    env: { NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` },
  });
  api = adminApi(portal.url);
});

afterAll(async () => {
  await portal?.kill();
  await db?.drop();
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const MB = 1024 * 1024;

describe(`a sustained login load (${CONCURRENCY} at once, ${SECONDS} s)`, () => {
  it("answers no 5xx, loses no session, keeps its memory flat", {
    timeout: (SECONDS + 90) * 1000,
  }, async () => {
    // No session cap in the way: every session made must still be live at the end.
    const realm = await api.realm({ max_sessions_per_user: 1000 });
    const users = await Promise.all(
      Array.from({ length: USERS }, async (_, i) => {
        const email = `load${i}@example.com`;
        return { email, id: await api.user(realm.slug, email) };
      }),
    );

    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const dropped: string[] = [];
    const sessions: { userId: string; sid: string; browser: Browser }[] = [];
    const rss: { at: number; bytes: number }[] = [];
    const started = Date.now();
    const end = started + SECONDS * 1000;

    const sampler = setInterval(() => rss.push({ at: Date.now() - started, bytes: portal.rss() }), 1000);
    const worker = async (w: number) => {
      for (let i = 0; Date.now() < end; i++) {
        const user = users[(w + i * CONCURRENCY) % USERS] as (typeof users)[number];
        const browser = new Browser(portal.url);
        try {
          const page = await browser.get(realm.loginPath);
          count(page.status);
          const form = readForm(page.text, "login-form");
          if (!form) continue;
          const answer = await browser.post(realm.loginPath, {
            ...form.fields,
            email: user.email,
            password: PASSWORD,
          });
          count(answer.status);
          if (answer.status === 303 && answer.location?.startsWith(`${CALLBACK}?`))
            sessions.push({ userId: user.id, sid: tokenClaims(answer.location).sid as string, browser });
        } catch (error) {
          dropped.push(String((error as Error).cause ?? error));
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
    clearInterval(sampler);

    const third = Math.floor(rss.length / 3);
    const first = mean(rss.slice(0, third).map((s) => s.bytes));
    const last = mean(rss.slice(-third).map((s) => s.bytes));
    console.log(
      `[load] ${sessions.length} logins in ${SECONDS} s (${(sessions.length / SECONDS).toFixed(1)}/s) at concurrency ${CONCURRENCY}; ` +
        `statuses ${JSON.stringify(Object.fromEntries(statuses))}; RSS first third ${(first / MB).toFixed(0)} MB, ` +
        `last third ${(last / MB).toFixed(0)} MB, peak ${(Math.max(...rss.map((s) => s.bytes)) / MB).toFixed(0)} MB`,
    );

    expect(dropped.slice(0, 5)).toEqual([]);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect([...statuses.keys()].sort()).toEqual([200, 303]);
    // A sanity floor, not a benchmark: the machine may be busy with other work.
    expect(sessions.length).toBeGreaterThan(SECONDS * 2);

    // Every session made is live, seen from the API and from the browser that holds it.
    const live = new Set((await Promise.all(users.map((u) => api.liveSessionIds(realm.slug, u.id)))).flat());
    expect(sessions.filter((s) => !live.has(s.sid)).map((s) => s.sid)).toEqual([]);
    expect(live.size).toBe(sessions.length);
    for (const { browser } of sessions.filter((_, i) => i % Math.ceil(sessions.length / 20) === 0)) {
      const profile = await browser.get(`/${realm.slug}/profile`);
      expect(profile.status).toBe(200);
    }

    // Flat: a leak grows steadily; warming up (JIT, caches, pools) is over within the first third.
    expect(rss.length).toBeGreaterThanOrEqual(SECONDS - 5);
    expect(last).toBeLessThan(first * 1.25 + 64 * MB);
  });
});
