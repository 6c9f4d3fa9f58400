import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { isAppError } from "@/lib/errors";
import type { Realm } from "@/lib/realms";
import { completed, testRealm, testServices } from "@/test/db";
import { eventsOf, pendingStep } from "@/test/mfa";

const ctx = { ip: "203.0.113.61", userAgent: "vitest" };
const password = "a-social-only-password-7";
const NEW = "another-fine-password-88";

/** The realm as it is after `PATCH …/settings {"password_login": false}`. */
const socialOnly = (realm: Realm): Realm => ({
  ...realm,
  settings: { ...realm.settings, password_login: false },
});

const refusal = { code: "auth.password_login_disabled", status: 403 };
const codeOf = (error: unknown) => (isAppError(error) ? error.code : error);

async function setup() {
  const clock = fixedClock("2026-11-29T12:00:10Z");
  const gh = await testServices({ clock });
  const { realm } = await testRealm(gh);
  const email = `so-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const user = await gh.users.create(realm, { email, password });
  const entry = await gh.flows.entry(realm, {});
  return { gh, clock, realm, off: socialOnly(realm), user, email, entry };
}

describe("a social-only realm (password_login: false)", () => {
  it("is a realm setting, on by default", async () => {
    const { gh, realm } = await setup();
    expect(realm.settings.password_login).toBe(true);
    const updated = await gh.realms.update(realm.id, { settings: { password_login: false } });
    expect(updated.settings.password_login).toBe(false);
  });

  it("refuses the password login with the right password, and records no failure against the account", async () => {
    const { gh, realm, off, email, entry } = await setup();
    await expect(gh.flows.loginWithPassword(off, entry, { email, password }, ctx)).rejects.toMatchObject(
      refusal,
    );
    // Even an empty form gets the one refusal (nothing is parsed, nothing looked up).
    await expect(gh.flows.loginWithPassword(off, entry, {}, ctx)).rejects.toMatchObject(refusal);
    expect(await eventsOf(gh, realm, "user.login_failed")).toEqual([]);
    // The same password works again once the realm takes passwords.
    completed(await gh.flows.loginWithPassword(realm, entry, { email, password }, ctx));
  });

  it("refuses signup with a password and creates nobody", async () => {
    const { gh, off, entry } = await setup();
    const email = `new-${Math.random().toString(36).slice(2, 8)}@example.com`;
    await expect(
      gh.flows.signup(off, entry, { email, password: "a-brand-new-password-1" }, ctx),
    ).rejects.toMatchObject(refusal);
    expect(await gh.users.findForLogin(off.id, email)).toBeNull();
  });

  it("refuses reset requests and the redemption of a link mailed before the switch (left unspent)", async () => {
    const { gh, realm, off, user, email, entry } = await setup();
    await expect(gh.flows.requestPasswordReset(off, entry, { email }, ctx)).rejects.toMatchObject(refusal);
    const { secret } = await gh.emailTokens.issue({
      realmId: realm.id,
      userId: user.id,
      purpose: "password_reset",
      email,
      data: { entry: {} },
    });
    await expect(gh.flows.resetPassword(off, secret, { password: NEW }, ctx)).rejects.toMatchObject(refusal);
    // Nothing changed: the old password is still the password, and the link is still there.
    expect(await gh.flows.passwordResetLink(realm, secret)).toEqual({ email });
    completed(await gh.flows.loginWithPassword(realm, entry, { email, password }, ctx));
  });

  it("refuses the login's choose-a-new-password step of a login begun before the switch", async () => {
    const { gh, realm, off, user, email, entry } = await setup();
    await gh.users.update(realm, user.id, { must_change_password: true });
    const step = pendingStep(await gh.flows.loginWithPassword(realm, entry, { email, password }, ctx));
    expect(step.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/password`);
    const error = await gh.flows.choosePassword(off, step.flowSecret, { password: NEW }, ctx).catch((e) => e);
    expect(codeOf(error)).toBe("auth.password_login_disabled");
    // The flow is untouched: back on, the step still works.
    completed(await gh.flows.choosePassword(realm, step.flowSecret, { password: NEW }, ctx));
  });

  it("refuses the profile's password change and password confirmation", async () => {
    const { gh, realm, off, email, entry } = await setup();
    const { session } = completed(await gh.flows.loginWithPassword(realm, entry, { email, password }, ctx));
    await expect(
      gh.account.changePassword(off, session, { current_password: password, password: NEW }, ctx),
    ).rejects.toMatchObject(refusal);
    await expect(
      gh.account.confirmPassword(off, session, { current_password: password }, ctx),
    ).rejects.toMatchObject(refusal);
  });

  it("still lets an admin set a password (unusable until passwords are back on)", async () => {
    const { gh, realm, off, user, email, entry } = await setup();
    await gh.users.setPassword(off, user.id, NEW);
    await expect(gh.flows.loginWithPassword(off, entry, { email, password: NEW }, ctx)).rejects.toMatchObject(
      refusal,
    );
    completed(await gh.flows.loginWithPassword(realm, entry, { email, password: NEW }, ctx));
  });
});
