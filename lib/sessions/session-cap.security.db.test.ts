import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { tables } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { completed, testRealm, testServices } from "@/test/db";

const ctx = { ip: "203.0.113.9", userAgent: "vitest" };
const password = "a-long-enough-password";

async function liveSessions(gh: Services, realm: Realm, userId: string) {
  return gh.sessions.listLive(realm.id, userId);
}

async function eventsOf(gh: Services, realmId: string, type: string) {
  return gh.db
    .select()
    .from(tables.events)
    .where(and(eq(tables.events.realmId, realmId), eq(tables.events.type, type)))
    .orderBy(tables.events.id);
}

async function setUp(gh: Services, settings: Record<string, unknown>) {
  // Parallel logins reserve throttle slots before their passwords are checked (lib/throttle); a
  // high delay threshold keeps that out of the way of what these tests look at: the cap.
  const { realm } = await testRealm(gh, { login_delay_after_failures: 50, ...settings });
  const user = await gh.users.create(realm, { email: "cap@example.com", password });
  const entry = await gh.flows.entry(realm, {});
  const login = (previousSecret?: string) =>
    gh.flows
      .loginWithPassword(realm, entry, { email: "cap@example.com", password }, ctx, previousSecret)
      .then(completed);
  return { realm, user, login };
}

describe("session cap: evict_oldest", () => {
  it("ends the least recently used session to make room, with a session.evicted event", async () => {
    const clock = fixedClock("2026-02-01T10:00:00Z");
    const gh = await testServices({ clock });
    const { realm, user, login } = await setUp(gh, {
      max_sessions_per_user: 2,
      session_limit_policy: "evict_oldest",
    });
    const first = await login();
    clock.advance(60_000);
    const second = await login();
    // The first session is used again later: now the second one is the least recently used.
    clock.advance(120_000);
    expect((await gh.sessions.findLive(realm.id, first.sessionSecret))?.id).toBe(first.session.id);
    clock.advance(60_000);

    const third = await login();
    const ids = (await liveSessions(gh, realm, user.id)).map((s) => s.id);
    expect(ids.sort()).toEqual([first.session.id, third.session.id].sort());
    expect(await gh.sessions.findLive(realm.id, second.sessionSecret)).toBeNull();

    const evicted = await eventsOf(gh, realm.id, "session.evicted");
    expect(evicted).toHaveLength(1);
    expect(evicted[0]).toMatchObject({
      userId: user.id,
      sessionId: second.session.id,
      data: { reason: "session_limit", by_session: third.session.id, max: 2 },
    });
  });

  it("after the cap is lowered, one login evicts as many as needed to stay within it", async () => {
    const gh = await testServices();
    const { realm, user, login } = await setUp(gh, { max_sessions_per_user: 5 });
    for (let i = 0; i < 5; i++) await login();
    const lowered = await gh.realms.update(realm.id, { settings: { max_sessions_per_user: 2 } });
    await gh.flows
      .loginWithPassword(
        lowered,
        await gh.flows.entry(lowered, {}),
        { email: "cap@example.com", password },
        ctx,
      )
      .then(completed);
    expect(await liveSessions(gh, realm, user.id)).toHaveLength(2);
    expect(await eventsOf(gh, realm.id, "session.evicted")).toHaveLength(4);
  });

  it("the browser's own previous session is replaced, not counted, and nothing is evicted", async () => {
    const gh = await testServices();
    const { realm, user, login } = await setUp(gh, { max_sessions_per_user: 2 });
    const a = await login();
    const b = await login();
    const again = await login(b.sessionSecret);
    const ids = (await liveSessions(gh, realm, user.id)).map((s) => s.id);
    expect(ids.sort()).toEqual([a.session.id, again.session.id].sort());
    expect(await eventsOf(gh, realm.id, "session.evicted")).toHaveLength(0);
  });

  it("parallel logins never leave more live sessions than the cap", async () => {
    const gh = await testServices();
    const { realm, user, login } = await setUp(gh, { max_sessions_per_user: 3 });
    const results = await Promise.all(Array.from({ length: 10 }, () => login()));
    expect(results).toHaveLength(10);
    const live = await liveSessions(gh, realm, user.id);
    expect(live).toHaveLength(3);
    expect(await eventsOf(gh, realm.id, "session.evicted")).toHaveLength(7);
  });

  it("expired sessions do not count", async () => {
    const clock = fixedClock("2026-02-01T10:00:00Z");
    const gh = await testServices({ clock });
    const { realm, user, login } = await setUp(gh, {
      max_sessions_per_user: 1,
      session_limit_policy: "refuse_new",
      session_minutes: 10,
    });
    await login();
    clock.advance(11 * 60_000);
    const fresh = await login();
    expect((await liveSessions(gh, realm, user.id)).map((s) => s.id)).toEqual([fresh.session.id]);
  });
});

describe("session cap: refuse_new", () => {
  it("refuses the login over the cap with session.limit_reached, creates nothing, records why", async () => {
    const gh = await testServices();
    const { realm, user, login } = await setUp(gh, {
      max_sessions_per_user: 2,
      session_limit_policy: "refuse_new",
    });
    const a = await login();
    const b = await login();
    await expect(login()).rejects.toMatchObject({ code: "session.limit_reached", status: 403 });
    const ids = (await liveSessions(gh, realm, user.id)).map((s) => s.id);
    expect(ids.sort()).toEqual([a.session.id, b.session.id].sort());
    const failed = await eventsOf(gh, realm.id, "user.login_failed");
    expect(failed.map((e) => e.data.reason)).toEqual(["session_limit"]);
    expect(failed[0]?.userId).toBe(user.id);
    expect(await eventsOf(gh, realm.id, "user.login")).toHaveLength(2);

    // Logging in again from a browser that holds one of the sessions replaces it: allowed.
    const again = await login(a.sessionSecret);
    expect(again.session.id).not.toBe(a.session.id);
    expect(await liveSessions(gh, realm, user.id)).toHaveLength(2);
  });

  it("a refused login leaves the browser's previous session (another account's) alive", async () => {
    const gh = await testServices();
    const { realm, login } = await setUp(gh, {
      max_sessions_per_user: 1,
      session_limit_policy: "refuse_new",
    });
    await gh.users.create(realm, { email: "other@example.com", password });
    const entry = await gh.flows.entry(realm, {});
    const other = await gh.flows
      .loginWithPassword(realm, entry, { email: "other@example.com", password }, ctx)
      .then(completed);
    await login();
    await expect(login(other.sessionSecret)).rejects.toMatchObject({ code: "session.limit_reached" });
    expect((await gh.sessions.findLive(realm.id, other.sessionSecret))?.id).toBe(other.session.id);
  });

  it("parallel logins: exactly the cap succeed, every other one is refused", async () => {
    const gh = await testServices();
    const { realm, user, login } = await setUp(gh, {
      max_sessions_per_user: 3,
      session_limit_policy: "refuse_new",
    });
    const settled = await Promise.allSettled(Array.from({ length: 10 }, () => login()));
    const ok = settled.filter((r) => r.status === "fulfilled");
    const refused = settled.filter(
      (r) => r.status === "rejected" && isAppError(r.reason) && r.reason.code === "session.limit_reached",
    );
    expect(ok).toHaveLength(3);
    expect(refused).toHaveLength(7);
    expect(await liveSessions(gh, realm, user.id)).toHaveLength(3);
  });

  it("the cap is per user: other users of the realm are not affected", async () => {
    const gh = await testServices();
    const { realm, login } = await setUp(gh, {
      max_sessions_per_user: 1,
      session_limit_policy: "refuse_new",
    });
    await gh.users.create(realm, { email: "two@example.com", password });
    await login();
    const entry = await gh.flows.entry(realm, {});
    await expect(
      gh.flows.loginWithPassword(realm, entry, { email: "two@example.com", password }, ctx).then(completed),
    ).resolves.toBeTruthy();
  });
});

describe("sessions.create directly", () => {
  it("holds the cap under many parallel creations", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const user = await gh.users.create(realm, { email: "direct@example.com" });
    const create = () =>
      gh.sessions.create({
        realmId: realm.id,
        userId: user.id,
        amr: ["pwd"],
        minutes: 60,
        context: ctx,
        limit: { max: 4, policy: "evict_oldest" },
      });
    const results = await Promise.all(Array.from({ length: 25 }, create));
    const evicted = results.flatMap((r) => r.evicted.map((s) => s.id));
    expect(new Set(evicted).size).toBe(21);
    expect(await gh.sessions.listLive(realm.id, user.id)).toHaveLength(4);
  });
});
