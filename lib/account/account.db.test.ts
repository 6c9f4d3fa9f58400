import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { completed, testRealm, testServices } from "@/test/db";

const ctx = {
  ip: "198.51.100.4",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
};
const password = "the-old-password-42";
const newPassword = "a-brand-new-password-77";

async function eventsOf(gh: Services, realmId: string, type: string) {
  return gh.db
    .select()
    .from(tables.events)
    .where(and(eq(tables.events.realmId, realmId), eq(tables.events.type, type)))
    .orderBy(tables.events.id);
}

/** A user logged in from three browsers. */
async function threeSessions(gh: Services, realm: Realm) {
  const user = await gh.users.create(realm, { email: "acct@example.com", password });
  const entry = await gh.flows.entry(realm, {});
  const login = () =>
    gh.flows.loginWithPassword(realm, entry, { email: "acct@example.com", password }, ctx).then(completed);
  return { user, a: await login(), b: await login(), c: await login() };
}

describe("changing the password on the profile", () => {
  it("names every failing rule of the new password at once, and changes nothing", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const { a } = await threeSessions(gh, realm);
    await expect(
      gh.account.changePassword(realm, a.session, { current_password: password, password: "acct" }, ctx),
    ).rejects.toMatchObject({
      code: "validation.failed",
      fields: expect.arrayContaining([
        expect.objectContaining({ field: "password", code: "password.too_short" }),
        expect.objectContaining({ field: "password", code: "password.contains_identifier" }),
      ]),
    });
    const entry = await gh.flows.entry(realm, {});
    await expect(
      gh.flows.loginWithPassword(realm, entry, { email: "acct@example.com", password }, ctx).then(completed),
    ).resolves.toBeTruthy();
  });

  it("guessing the current password is throttled like a login: refused guesses are never evaluated", async () => {
    let verified = 0;
    const base = await testServices();
    const gh = await testServices({
      hasher: {
        ...base.hasher,
        verify: async (pw: string, hash: string) => {
          verified += 1;
          return base.hasher.verify(pw, hash);
        },
      },
    });
    const { realm } = await testRealm(gh, { login_delay_after_failures: 3 });
    const { a } = await threeSessions(gh, realm);
    verified = 0;
    const attempt = (current: string) =>
      gh.account.changePassword(realm, a.session, { current_password: current, password: newPassword }, ctx);
    const guesses = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => attempt(`guess-number-${i}`)),
    );
    for (const g of guesses)
      expect((g as PromiseRejectedResult).reason).toMatchObject({
        fields: [expect.objectContaining({ field: "current_password", code: "password.current_invalid" })],
      });
    expect(verified).toBe(3);
    // Delayed now: even the right password gets the same answer, unevaluated.
    await expect(attempt(password)).rejects.toMatchObject({
      fields: [expect.objectContaining({ code: "password.current_invalid" })],
    });
    expect(verified).toBe(3);
    const failures = await eventsOf(gh, realm.id, "user.login_failed");
    expect(failures.map((e) => (e.data as { reason: string }).reason)).toEqual(
      expect.arrayContaining(["wrong_password", "delayed"]),
    );
  });

  it("checks the current password, sets the new one, ends the other sessions and keeps this one", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const { user, a, b, c } = await threeSessions(gh, realm);

    const ended = await gh.account.changePassword(
      realm,
      a.session,
      { current_password: password, password: newPassword },
      ctx,
    );
    expect(ended).toBe(2);
    expect((await gh.sessions.listLive(realm.id, user.id)).map((s) => s.id)).toEqual([a.session.id]);
    expect(await gh.sessions.findLive(realm.id, b.sessionSecret)).toBeNull();
    expect(await gh.sessions.findLive(realm.id, c.sessionSecret)).toBeNull();

    const entry = await gh.flows.entry(realm, {});
    await expect(
      gh.flows.loginWithPassword(realm, entry, { email: "acct@example.com", password }, ctx).then(completed),
    ).rejects.toMatchObject({ code: "auth.invalid_credentials" });
    await expect(
      gh.flows
        .loginWithPassword(realm, entry, { email: "acct@example.com", password: newPassword }, ctx)
        .then(completed),
    ).resolves.toBeTruthy();

    const [changed] = await eventsOf(gh, realm.id, "user.password_changed");
    expect(changed).toMatchObject({
      userId: user.id,
      sessionId: a.session.id,
      ip: ctx.ip,
      data: { via: "profile", ended_sessions: 2 },
    });
  });

  it("a wrong current password is a field error and changes nothing", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const { user, a } = await threeSessions(gh, realm);
    const before = await gh.users.passwordHash(realm.id, user.id);

    await expect(
      gh.account.changePassword(realm, a.session, { current_password: "not-it", password: newPassword }, ctx),
    ).rejects.toMatchObject({
      code: "validation.failed",
      status: 422,
      fields: [{ field: "current_password", code: "password.current_invalid" }],
    });
    expect(await gh.users.passwordHash(realm.id, user.id)).toBe(before);
    expect(await gh.sessions.listLive(realm.id, user.id)).toHaveLength(3);
    expect(await eventsOf(gh, realm.id, "user.password_changed")).toHaveLength(0);
  });

  it("refuses a new password outside the realm's length rules, every field at once", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { password_min_length: 12 });
    const { user, a } = await threeSessions(gh, realm);
    await expect(
      gh.account.changePassword(realm, a.session, { current_password: "", password: "short" }, ctx),
    ).rejects.toMatchObject({
      fields: [
        { field: "current_password", code: "field.required" },
        { field: "password", code: "password.too_short" },
        // The policy's rules come in the same answer ("short" is also a common password).
        { field: "password", code: "password.too_common" },
      ],
    });
    expect(await gh.sessions.listLive(realm.id, user.id)).toHaveLength(3);
  });

  it("a user without a password cannot pass the current-password check", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const user = await gh.users.create(realm, { email: "nopw@example.com" });
    const { session } = await gh.sessions.create({
      realmId: realm.id,
      userId: user.id,
      amr: ["social:test"],
      minutes: 60,
      context: ctx,
      limit: { max: 10, policy: "evict_oldest" },
    });
    await expect(
      gh.account.changePassword(realm, session, { current_password: "anything", password: newPassword }, ctx),
    ).rejects.toMatchObject({ fields: [{ code: "password.current_invalid" }] });
    expect(await gh.users.passwordHash(realm.id, user.id)).toBeNull();
  });
});

describe("ending sessions", () => {
  it("ends one session of the user, never another user's, with an event", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const { user, a, b } = await threeSessions(gh, realm);
    const other = await gh.users.create(realm, { email: "other@example.com", password });
    const entry = await gh.flows.entry(realm, {});
    const theirs = await gh.flows
      .loginWithPassword(realm, entry, { email: "other@example.com", password }, ctx)
      .then(completed);

    expect(
      await gh.account.endSession(realm.id, user.id, theirs.session.id, { via: "profile", context: ctx }),
    ).toBeNull();
    expect((await gh.sessions.findLive(realm.id, theirs.sessionSecret))?.userId).toBe(other.id);

    const ended = await gh.account.endSession(realm.id, user.id, b.session.id, {
      via: "profile",
      context: ctx,
    });
    expect(ended?.id).toBe(b.session.id);
    expect(await gh.sessions.findLive(realm.id, b.sessionSecret)).toBeNull();
    expect(await gh.sessions.findLive(realm.id, a.sessionSecret)).toBeTruthy();
    const events = await eventsOf(gh, realm.id, "session.ended");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ sessionId: b.session.id, userId: user.id, data: { via: "profile" } });
  });

  it("ends all other sessions, or all of them", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const { user, a } = await threeSessions(gh, realm);
    expect(
      await gh.account.endSessions(realm.id, user.id, a.session.id, { via: "profile", context: ctx }),
    ).toBe(2);
    expect((await gh.sessions.listLive(realm.id, user.id)).map((s) => s.id)).toEqual([a.session.id]);
    expect(await gh.account.endSessions(realm.id, user.id, null, { via: "api", key: "installation" })).toBe(
      1,
    );
    expect(await gh.sessions.listLive(realm.id, user.id)).toHaveLength(0);
    const reasons = (await eventsOf(gh, realm.id, "session.ended")).map((e) => e.data.reason);
    expect(reasons).toEqual(["ended_others", "ended_others", "ended_all"]);
  });

  it("keeps realms apart: a user id of another realm ends nothing", async () => {
    const gh = await testServices();
    const a = await testRealm(gh);
    const b = await testRealm(gh);
    const { user, c } = await threeSessions(gh, a.realm);
    expect(
      await gh.account.endSession(b.realm.id, user.id, c.session.id, { via: "api", key: "k" }),
    ).toBeNull();
    expect(await gh.account.endSessions(b.realm.id, user.id, null, { via: "api", key: "k" })).toBe(0);
    expect(await gh.sessions.listLive(a.realm.id, user.id)).toHaveLength(3);
  });
});
