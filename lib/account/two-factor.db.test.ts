import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { tables } from "@/lib/db";
import { totpCode } from "@/lib/mfa";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import type { Session } from "@/lib/sessions";
import { completed, testRealm, testServices } from "@/test/db";
import { PROFILE_CODE_ATTEMPTS } from "./two-factor";

const ctx = {
  ip: "198.51.100.7",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
};
const password = "the-profile-password-31";
const MINUTE = 60_000;

let counter = 0;

/** A user of a fresh realm, logged in with their password at a fixed time. */
async function signedIn(settings: Record<string, unknown> = {}) {
  const clock = fixedClock("2026-11-29T12:00:10Z");
  const gh = await testServices({ clock });
  const { realm } = await testRealm(gh, settings);
  const email = `tf-${Date.now().toString(36)}-${counter++}@example.com`;
  const user = await gh.users.create(realm, { email, password });
  const entry = await gh.flows.entry(realm, {});
  const login = () => gh.flows.loginWithPassword(realm, entry, { email, password }, ctx).then(completed);
  const { session } = await login();
  /** The session as the next request reads it (the profile loads it afresh every time). */
  const current = async () => {
    const [row] = await gh.db
      .select()
      .from(tables.sessions)
      .where(and(eq(tables.sessions.realmId, realm.id), eq(tables.sessions.id, session.id)));
    if (!row) throw new Error("session ended");
    return row;
  };
  return { gh, clock, realm, user, email, session, current, login };
}

type SignedIn = Awaited<ReturnType<typeof signedIn>>;

/** 2FA turned on through the profile; the clock then moves to the next time step. */
async function enrolled(settings: Record<string, unknown> = {}) {
  const s = await signedIn(settings);
  const { secret } = await s.gh.account.beginMfaEnrolment(s.realm, await s.current());
  const codes = await s.gh.account.confirmMfaEnrolment(
    s.realm,
    await s.current(),
    { code: totpCode(secret, s.clock.now()) },
    ctx,
  );
  s.clock.advance(30_000);
  return { ...s, secret, codes };
}

async function eventsOf(gh: Services, realm: Realm, type: string) {
  return gh.db
    .select()
    .from(tables.events)
    .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.type, type)))
    .orderBy(tables.events.id);
}

async function mailsTo(gh: Services, realm: Realm, to: string) {
  const rows = await gh.db
    .select()
    .from(tables.emailOutbox)
    .where(and(eq(tables.emailOutbox.realmId, realm.id), eq(tables.emailOutbox.toAddress, to)));
  return rows.map((r) => ({ template: r.template, subject: r.subject, text: r.text }));
}

const fieldsOf = (error: unknown) =>
  ((error as { fields?: Array<{ field: string; code: string }> }).fields ?? []).map(
    (f) => `${f.field}:${f.code}`,
  );

const codeOf = (s: SignedIn & { secret: string }) => totpCode(s.secret, s.clock.now());

describe("recent authentication (a password in this session within 15 minutes)", () => {
  it("starts at a password login and ends 15 minutes later; the profile's password form starts it again", async () => {
    const { gh, clock, realm, current } = await signedIn();
    expect((await current()).passwordVerifiedAt).toEqual(clock.now());
    const view = await gh.account.twoFactorView(realm, await current());
    expect(view).toMatchObject({ enabled: false, recoveryCodesLeft: 0, pending: null });
    expect(view.recentUntil).toEqual(new Date(clock.now().getTime() + 15 * MINUTE));

    clock.advance(15 * MINUTE);
    expect((await gh.account.twoFactorView(realm, await current())).recentUntil).toBeNull();
    await expect(gh.account.beginMfaEnrolment(realm, await current())).rejects.toMatchObject({
      code: "auth.reauth_required",
      status: 403,
    });

    // A wrong password is a field error (throttled like a login) and proves nothing.
    const wrong = await gh.account
      .confirmPassword(realm, await current(), { current_password: "not-it" }, ctx)
      .catch((e) => e);
    expect(fieldsOf(wrong)).toEqual(["current_password:password.current_invalid"]);
    expect((await gh.account.twoFactorView(realm, await current())).recentUntil).toBeNull();
    const failed = await eventsOf(gh, realm, "user.login_failed");
    expect(failed.at(-1)?.data).toMatchObject({ reason: "wrong_password", via: "profile" });

    await gh.account.confirmPassword(realm, await current(), { current_password: password }, ctx);
    expect((await current()).passwordVerifiedAt).toEqual(clock.now());
    await expect(gh.account.beginMfaEnrolment(realm, await current())).resolves.toMatchObject({
      secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
    });
  });

  it("just under 15 minutes still counts", async () => {
    const { gh, clock, realm, current } = await signedIn();
    clock.advance(15 * MINUTE - 1000);
    await expect(gh.account.beginMfaEnrolment(realm, await current())).resolves.toBeTruthy();
  });

  it("a session that never checked a password (no `pwd` in amr) has no proof", async () => {
    const { gh, realm, user } = await signedIn();
    const { session } = await gh.sessions.create({
      realmId: realm.id,
      userId: user.id,
      amr: ["social:test"],
      minutes: 60,
      context: ctx,
      limit: { max: 10, policy: "evict_oldest" },
    });
    expect(session.passwordVerifiedAt).toBeNull();
    await expect(gh.account.beginMfaEnrolment(realm, session)).rejects.toMatchObject({
      code: "auth.reauth_required",
    });
  });

  it("a password changed on the profile is a fresh proof too", async () => {
    const { gh, clock, realm, current } = await signedIn();
    clock.advance(40 * MINUTE);
    await gh.account.changePassword(
      realm,
      await current(),
      { current_password: password, password: "a-brand-new-password-77" },
      ctx,
    );
    expect((await current()).passwordVerifiedAt).toEqual(clock.now());
  });
});

describe("turning two-step verification on from the profile", () => {
  it("shows the setup again while it is not confirmed, and only with a recent password", async () => {
    const { gh, clock, realm, user, current } = await signedIn();
    const { secret, uri } = await gh.account.beginMfaEnrolment(realm, await current());
    expect(uri).toContain(`issuer=${encodeURIComponent(realm.name)}`);
    expect(uri).toContain(encodeURIComponent(user.email));
    expect((await gh.account.twoFactorView(realm, await current())).pending).toEqual({ secret, uri });
    clock.advance(16 * MINUTE);
    // A stolen session without the password never sees the key.
    expect((await gh.account.twoFactorView(realm, await current())).pending).toBeNull();
  });

  it("a wrong code changes nothing; the right one turns it on with ten codes, an event and an email", async () => {
    const { gh, clock, realm, user, email, session, current } = await signedIn();
    const { secret } = await gh.account.beginMfaEnrolment(realm, await current());
    for (const code of ["000000", "12345", "not a code"]) {
      const error = await gh.account
        .confirmMfaEnrolment(realm, await current(), { code }, ctx)
        .catch((e) => e);
      expect(fieldsOf(error)).toEqual(["code:mfa.code_invalid"]);
    }
    expect(fieldsOf(await gh.account.confirmMfaEnrolment(realm, session, {}, ctx).catch((e) => e))).toEqual([
      "code:field.required",
    ]);
    expect(await gh.mfa.status(realm.id, user.id)).toMatchObject({ enabled: false });
    expect(await eventsOf(gh, realm, "user.mfa_enabled")).toHaveLength(0);
    expect(await mailsTo(gh, realm, email)).toEqual([]);

    // The window may close while the person finds their phone: the code alone confirms.
    clock.advance(20 * MINUTE);
    const codes = await gh.account.confirmMfaEnrolment(
      realm,
      await current(),
      { code: totpCode(secret, clock.now()) },
      ctx,
    );
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(await gh.account.twoFactorView(realm, await current())).toMatchObject({
      enabled: true,
      confirmedAt: clock.now(),
      recoveryCodesLeft: 10,
      pending: null,
    });
    const [enabled] = await eventsOf(gh, realm, "user.mfa_enabled");
    expect(enabled).toMatchObject({
      userId: user.id,
      sessionId: session.id,
      ip: ctx.ip,
      data: { via: "profile", method: "totp", recovery_codes: 10, email_sent: true },
    });
    const [mail] = await mailsTo(gh, realm, email);
    expect(mail).toMatchObject({
      template: "mfa_enabled",
      subject: `Two-step verification is on for your ${realm.name} account`,
    });
    expect(mail?.text).toContain("Firefox on Linux, from 198.51.100.7");
    // On: a second setup is refused until it is turned off.
    await gh.account.confirmPassword(realm, await current(), { current_password: password }, ctx);
    await expect(gh.account.beginMfaEnrolment(realm, await current())).rejects.toMatchObject({
      code: "mfa.already_enabled",
    });
  });

  it("a setup can be cancelled: its key is gone", async () => {
    const { gh, realm, user, current } = await signedIn();
    const { secret } = await gh.account.beginMfaEnrolment(realm, await current());
    await gh.account.cancelMfaEnrolment(realm, await current());
    expect((await gh.account.twoFactorView(realm, await current())).pending).toBeNull();
    await expect(
      gh.account.confirmMfaEnrolment(realm, await current(), { code: totpCode(secret, new Date()) }, ctx),
    ).rejects.toMatchObject({ code: "mfa.enrolment_missing" });
    expect((await gh.mfa.status(realm.id, user.id)).enabled).toBe(false);
  });
});

describe("recovery codes", () => {
  it("new codes need a recent password; the old ones stop working; an event is written", async () => {
    const s = await enrolled();
    const { gh, clock, realm, user, current, codes } = s;
    clock.advance(15 * MINUTE);
    await expect(gh.account.regenerateRecoveryCodes(realm, await current(), ctx)).rejects.toMatchObject({
      code: "auth.reauth_required",
    });
    await gh.account.confirmPassword(realm, await current(), { current_password: password }, ctx);
    const fresh = await gh.account.regenerateRecoveryCodes(realm, await current(), ctx);
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(codes[0]);
    expect(await gh.mfa.useRecoveryCode(realm.id, user.id, codes[0])).toBe(false);
    expect(await gh.mfa.useRecoveryCode(realm.id, user.id, fresh[0])).toBe(true);
    expect((await gh.mfa.status(realm.id, user.id)).recoveryCodesLeft).toBe(9);
    const [event] = await eventsOf(gh, realm, "user.recovery_codes_regenerated");
    expect(event).toMatchObject({ userId: user.id, data: { via: "profile", recovery_codes: 10 } });
  });
});

describe("turning two-step verification off from the profile", () => {
  it("needs a recent password and a current code; a wrong or replayed code changes nothing", async () => {
    const s = await enrolled();
    const { gh, clock, realm, user, email, current } = s;
    // The code that confirmed the setup is spent already.
    const replayed = totpCode(s.secret, new Date(clock.now().getTime() - 30_000));
    for (const code of ["000000", replayed]) {
      const error = await gh.account.disableMfa(realm, await current(), { code }, ctx).catch((e) => e);
      expect(fieldsOf(error)).toEqual(["code:mfa.code_invalid"]);
    }
    const error = await gh.account
      .disableMfa(realm, await current(), { recovery_code: "aaaa-bbbb-cccc-dddd" }, ctx)
      .catch((e) => e);
    expect(fieldsOf(error)).toEqual(["recovery_code:mfa.recovery_code_invalid"]);
    expect(fieldsOf(await gh.account.disableMfa(realm, await current(), {}, ctx).catch((e) => e))).toEqual([
      "code:field.required",
    ]);
    expect((await gh.mfa.status(realm.id, user.id)).enabled).toBe(true);
    expect(await eventsOf(gh, realm, "user.mfa_disabled")).toHaveLength(0);
    const failures = (await eventsOf(gh, realm, "user.login_failed")).map((e) => e.data);
    expect(failures).toEqual([
      { reason: "wrong_code", method: "otp", via: "profile" },
      { reason: "wrong_code", method: "otp", via: "profile" },
      { reason: "wrong_code", method: "recovery_code", via: "profile" },
    ]);

    // Without a recent password even the right code is not looked at.
    clock.advance(15 * MINUTE);
    await expect(
      gh.account.disableMfa(realm, await current(), { code: codeOf(s) }, ctx),
    ).rejects.toMatchObject({ code: "auth.reauth_required" });
    expect((await gh.mfa.status(realm.id, user.id)).enabled).toBe(true);

    await gh.account.confirmPassword(realm, await current(), { current_password: password }, ctx);
    await gh.account.disableMfa(
      realm,
      await current(),
      { code: ` ${codeOf(s).slice(0, 3)} ${codeOf(s).slice(3)} ` },
      ctx,
    );
    expect(await gh.mfa.status(realm.id, user.id)).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    const [disabled] = await eventsOf(gh, realm, "user.mfa_disabled");
    expect(disabled).toMatchObject({
      userId: user.id,
      data: { via: "profile", method: "otp", email_sent: true },
    });
    const mails = await mailsTo(gh, realm, email);
    expect(mails.map((m) => m.template)).toEqual(["mfa_enabled", "mfa_disabled"]);
    expect(mails[1]?.text).toContain("Turned off from Firefox on Linux");
    await expect(
      gh.account.disableMfa(realm, await current(), { code: "123456" }, ctx),
    ).rejects.toMatchObject({ code: "mfa.not_enabled" });
  });

  it("a recovery code works instead of the app (lost phone)", async () => {
    const { gh, realm, user, current, codes } = await enrolled();
    await gh.account.disableMfa(realm, await current(), { recovery_code: codes[3]?.toUpperCase() }, ctx);
    expect((await gh.mfa.status(realm.id, user.id)).enabled).toBe(false);
    const [disabled] = await eventsOf(gh, realm, "user.mfa_disabled");
    expect(disabled?.data).toMatchObject({ method: "recovery_code" });
  });

  it(`guessing codes is throttled: after ${PROFILE_CODE_ATTEMPTS} tries in 15 minutes the right code fails like a wrong one`, async () => {
    const s = await enrolled();
    const { gh, realm, user, current } = s;
    const guesses = await Promise.allSettled(
      Array.from({ length: PROFILE_CODE_ATTEMPTS }, (_, i) =>
        current().then((session) => gh.account.disableMfa(realm, session, { code: String(100000 + i) }, ctx)),
      ),
    );
    expect(guesses.every((g) => g.status === "rejected")).toBe(true);
    const refused = await gh.account
      .disableMfa(realm, await current(), { code: codeOf(s) }, ctx)
      .catch((e) => e);
    expect(fieldsOf(refused)).toEqual(["code:mfa.code_invalid"]);
    expect((await gh.mfa.status(realm.id, user.id)).enabled).toBe(true);
    const reasons = (await eventsOf(gh, realm, "user.login_failed")).map((e) => e.data.reason);
    expect(reasons.at(-1)).toBe("rate_limited");
    // The code was never evaluated: its step is unspent, and after the window it works.
    s.clock.advance(15 * MINUTE);
    await gh.account.confirmPassword(realm, await current(), { current_password: password }, ctx);
    await gh.account.disableMfa(realm, await current(), { code: codeOf(s) }, ctx);
    expect((await gh.mfa.status(realm.id, user.id)).enabled).toBe(false);
  });
});

describe("an administrator resets a user's two-step verification", () => {
  it("removes the app and the codes, ends every session, writes an event naming the key and emails the user", async () => {
    const s = await enrolled();
    const { gh, realm, user, email } = s;
    // A second browser, logged in with both factors (a login would now stop at the code step).
    const other = await gh.sessions.create({
      realmId: realm.id,
      userId: user.id,
      amr: ["pwd", "otp"],
      minutes: 60,
      context: ctx,
      limit: { max: 10, policy: "evict_oldest" },
    });
    const sessions = async (): Promise<Session[]> => gh.sessions.listLive(realm.id, user.id);
    expect(await sessions()).toHaveLength(2);
    const result = await gh.account.resetMfa(realm, user.id, { via: "api", key: "key_ops", context: ctx });
    expect(result).toEqual({ endedSessions: 2 });
    expect(await sessions()).toEqual([]);
    expect(await gh.sessions.findLive(realm.id, other.secret)).toBeNull();
    expect(await gh.mfa.status(realm.id, user.id)).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    const [reset] = await eventsOf(gh, realm, "user.mfa_reset");
    expect(reset).toMatchObject({
      userId: user.id,
      ip: ctx.ip,
      data: { via: "api", key: "key_ops", ended_sessions: 2, email_sent: true },
    });
    const ended = (await eventsOf(gh, realm, "session.ended")).map((e) => e.data);
    expect(ended).toEqual([
      { via: "api", key: "key_ops", reason: "mfa_reset" },
      { via: "api", key: "key_ops", reason: "mfa_reset" },
    ]);
    expect((await mailsTo(gh, realm, email)).map((m) => m.template)).toEqual(["mfa_enabled", "mfa_reset"]);
    await expect(gh.account.resetMfa(realm, user.id, { via: "api", key: "key_ops" })).rejects.toMatchObject({
      code: "mfa.not_enabled",
      status: 404,
    });
    expect(await eventsOf(gh, realm, "user.mfa_reset")).toHaveLength(1);
  });
});
