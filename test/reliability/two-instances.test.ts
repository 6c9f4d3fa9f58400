import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminApi, adminApi, CALLBACK, PASSWORD } from "./support/admin";
import { type Answer, Browser, readForm, tokenClaims } from "./support/browser";
import { type Portal, startPortal } from "./support/portal";
import { PORTS } from "./support/ports";
import { createDatabase, sqlClient } from "./support/postgres";

/**
 * Two instances of one installation (same PostgreSQL, same PUBLIC_URL, as behind a load balancer),
 * driven over HTTP at the same moment: what one instance counts or spends, the other sees.
 */
let db: Awaited<ReturnType<typeof createDatabase>>;
let a: Portal;
let b: Portal;
let api: AdminApi;
let sql: ReturnType<typeof sqlClient>;

beforeAll(async () => {
  db = await createDatabase("pair");
  const publicUrl = `http://localhost:${PORTS.pairA}`;
  // Started together: both migrate the empty database at boot (under an advisory lock).
  [a, b] = await Promise.all([
    startPortal({ port: PORTS.pairA, databaseUrl: db.url, publicUrl }),
    startPortal({ port: PORTS.pairB, databaseUrl: db.url, publicUrl }),
  ]);
  api = adminApi(a.url);
  sql = sqlClient(db.url);
});

afterAll(async () => {
  await Promise.all([a?.kill(), b?.kill()]);
  await sql?.end();
  await db?.drop();
});

/** Browsers alternating between the instances, each holding the form it fetched (its own CSRF cookie). */
async function formsOnBoth(count: number, path: string, slot: string) {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const browser = new Browser((i % 2 ? b : a).url);
      const page = await browser.get(path);
      const form = readForm(page.text, slot);
      if (!form) throw new Error(`no ${slot} at ${path} (${page.status}): ${page.text.slice(0, 200)}`);
      return { browser, fields: form.fields, path };
    }),
  );
}

const toApp = (answer: Answer) => answer.status === 303 && (answer.location ?? "").startsWith(`${CALLBACK}?`);

async function loginOn(portal: Portal, loginPath: string, email: string, password: string) {
  const browser = new Browser(portal.url);
  const answer = await browser.submit(loginPath, "login-form", { email, password });
  return { browser, answer };
}

async function failedLogins(realmId: string) {
  const rows = await sql<{ reason: string; n: number }[]>`
    select data->>'reason' as reason, count(*)::int as n from events
    where realm_id = ${realmId} and type = 'user.login_failed' group by 1`;
  return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
}

describe("two instances on one PostgreSQL", () => {
  it("the login lock holds across them: 12 parallel wrong passwords, half on each, evaluate exactly 3", async () => {
    const realm = await api.realm({ login_lock_after_failures: 3, login_delay_after_failures: 50 });
    const userId = await api.user(realm.slug, "locked@example.com");
    const forms = await formsOnBoth(12, realm.loginPath, "login-form");
    const answers = await Promise.all(
      forms.map((f) =>
        f.browser.post(f.path, { ...f.fields, email: "locked@example.com", password: "wrong-password-000" }),
      ),
    );
    expect(answers.some(toApp)).toBe(false);
    expect(answers.map((x) => x.status).every((s) => s === 200)).toBe(true);
    // Reserved before evaluation, in PostgreSQL: 3 passwords were looked at, 9 refused unseen.
    expect(await failedLogins(realm.id)).toEqual({ wrong_password: 3, locked: 9 });
    const lock = await api.ok("GET", `/api/v1/realms/${realm.slug}/users/${userId}/lock`);
    expect(lock).toMatchObject({
      locked: true,
      addresses: [{ failures_this_hour: 3, locked_until: expect.any(String) }],
    });
    // The right password is refused now, on either instance.
    for (const portal of [a, b]) {
      const { answer } = await loginOn(portal, realm.loginPath, "locked@example.com", PASSWORD);
      expect(toApp(answer)).toBe(false);
    }
    expect((await failedLogins(realm.id)).locked).toBe(11);
  });

  it("the session cap holds across them: 8 parallel logins with max 2 (refuse_new) give exactly 2 sessions", async () => {
    const realm = await api.realm({ max_sessions_per_user: 2, session_limit_policy: "refuse_new" });
    const userId = await api.user(realm.slug, "capped@example.com");
    const forms = await formsOnBoth(8, realm.loginPath, "login-form");
    const answers = await Promise.all(
      forms.map((f) =>
        f.browser.post(f.path, { ...f.fields, email: "capped@example.com", password: PASSWORD }),
      ),
    );
    const winners = answers.filter(toApp);
    expect(winners).toHaveLength(2);
    const sids = winners.map((w) => tokenClaims(w.location as string).sid).sort();
    expect((await api.liveSessionIds(realm.slug, userId)).sort()).toEqual(sids);
    // A session made on one instance is a session on the other.
    const winnerBrowsers = forms.filter((_, i) => toApp(answers[i] as Answer)).map((f) => f.browser);
    for (const browser of winnerBrowsers) {
      const other = new Browser(browser.base === a.url ? b.url : a.url);
      for (const [k, v] of browser.cookies) other.cookies.set(k, v);
      const profile = await other.get(`/${realm.slug}/profile`);
      expect(profile.status).toBe(200);
      expect(profile.text).toContain("capped@example.com");
    }
  });

  it("the session cap holds across them with evict_oldest: 8 parallel logins all succeed, 2 sessions stay", async () => {
    const realm = await api.realm({ max_sessions_per_user: 2, session_limit_policy: "evict_oldest" });
    const userId = await api.user(realm.slug, "evicted@example.com");
    const forms = await formsOnBoth(8, realm.loginPath, "login-form");
    const answers = await Promise.all(
      forms.map((f) =>
        f.browser.post(f.path, { ...f.fields, email: "evicted@example.com", password: PASSWORD }),
      ),
    );
    expect(answers.filter(toApp)).toHaveLength(8);
    const live = await api.liveSessionIds(realm.slug, userId);
    expect(live).toHaveLength(2);
    const issued = answers.map((x) => tokenClaims(x.location as string).sid);
    for (const sid of live) expect(issued).toContain(sid);
  });

  it("a password-reset link redeemed 8 times at once, on both instances, works exactly once", async () => {
    const realm = await api.realm();
    await api.user(realm.slug, "reset@example.com");
    const forgot = await new Browser(a.url).submit(`/${realm.slug}/forgot`, "forgot-password-form", {
      email: "reset@example.com",
    });
    expect(forgot.status).toBe(200);
    const link = await waitForLink(realm.id, "reset@example.com", "/reset?token=");
    // Each browser opens the link on its instance (the secret moves into a cookie), then the form.
    const pages = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const browser = new Browser((i % 2 ? b : a).url);
        const landing = await browser.get(link.pathname + link.search);
        expect(landing.status).toBe(303);
        const page = await browser.get(new URL(landing.location as string, browser.base).pathname);
        const form = readForm(page.text, "reset-password-form");
        if (!form) throw new Error(`no reset form (${page.status})`);
        return {
          browser,
          path: `/${realm.slug}/reset`,
          fields: form.fields,
          password: `new-lantern-${i}-harbor`,
        };
      }),
    );
    const answers = await Promise.all(
      pages.map((p) => p.browser.post(p.path, { ...p.fields, password: p.password })),
    );
    const won = answers.map((x, i) => (toApp(x) ? i : -1)).filter((i) => i >= 0);
    expect(won, JSON.stringify(answers.map((x) => [x.status, x.location]))).toHaveLength(1);
    const winner = pages[won[0] as number];
    // The winner's password is the password; the 7 others were never set.
    const good = await loginOn(b, realm.loginPath, "reset@example.com", winner?.password ?? "");
    expect(toApp(good.answer)).toBe(true);
    const other = pages.find((_, i) => i !== won[0]);
    const bad = await loginOn(a, realm.loginPath, "reset@example.com", other?.password ?? "");
    expect(toApp(bad.answer)).toBe(false);
  });

  it("an invitation accepted 8 times at once, on both instances, creates exactly one account", async () => {
    const realm = await api.realm({ signup_mode: "invitation" });
    const invitation = await api.ok("POST", `/api/v1/realms/${realm.slug}/invitations`, {
      client_id: realm.appId,
    });
    const url = new URL(invitation.url);
    const forms = await formsOnBoth(8, url.pathname + url.search, "signup-form");
    const answers = await Promise.all(
      forms.map((f, i) =>
        f.browser.post(f.path, { ...f.fields, email: `invitee${i}@example.com`, password: PASSWORD }),
      ),
    );
    expect(answers.filter(toApp)).toHaveLength(1);
    const users = await api.ok("GET", `/api/v1/realms/${realm.slug}/users`);
    expect(users.data).toHaveLength(1);
  });
});

/** The newest link in an email to `to` (the instances keep mail in the outbox: no SMTP here). */
async function waitForLink(realmId: string, to: string, contains: string): Promise<URL> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const [row] = await sql<{ text: string }[]>`
      select text from email_outbox where realm_id = ${realmId} and to_address = ${to}
      order by created_at desc limit 1`;
    const link = row?.text.match(/https?:\/\/\S+/g)?.find((l) => l.includes(contains));
    if (link) return new URL(link);
    if (Date.now() > deadline) throw new Error(`no email with a link to ${contains} for ${to}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
