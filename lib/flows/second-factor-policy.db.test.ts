import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { tables } from "@/lib/db";
import { newId } from "@/lib/ids";
import { totpCode } from "@/lib/mfa";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { testRealm, testServices } from "@/test/db";
import { enrolTotp, eventsOf, finished, pendingStep, sessionsOf } from "@/test/mfa";

const ctx = { ip: "203.0.113.30", userAgent: "vitest" };
const password = "correct-horse-battery-staple";

async function setup(settings: Record<string, unknown> = {}) {
  const clock = fixedClock("2026-11-29T12:00:10Z");
  const gh = await testServices({ clock });
  const { realm } = await testRealm(gh, settings);
  const entry = await gh.flows.entry(realm, { state: "st-p" });
  const newUser = (email = `u-${Math.random().toString(36).slice(2, 8)}@example.com`) =>
    gh.users.create(realm, { email, password });
  const login = (email: string, r: Realm = realm, previous?: string) =>
    gh.flows.loginWithPassword(r, entry, { email, password }, ctx, previous);
  return { gh, clock, realm, entry, newUser, login };
}

async function member(gh: Services, realm: Realm, userId: string, permissions: string[]) {
  const orgId = newId("org");
  await gh.db.insert(tables.orgs).values({ realmId: realm.id, id: orgId, name: `Org ${orgId}` });
  await gh.db
    .insert(tables.memberships)
    .values({ realmId: realm.id, id: newId("mb"), userId, orgId, permissions });
}

const tokenOf = (redirectUrl: string) => decodeJwt(new URL(redirectUrl).searchParams.get("token") ?? "");

describe("realm 2FA policy", () => {
  it("optional: users without an app log in with the password alone", async () => {
    const { gh, realm, newUser, login } = await setup();
    expect(realm.settings.mfa_policy).toBe("optional");
    const user = await newUser();
    const done = finished(await login(user.email));
    expect(tokenOf(done.redirectUrl)).toMatchObject({ amr: ["pwd"] });
    expect(await gh.flows.enrolmentStep(realm, "no-flow")).toBeNull();
  });

  it("required: a user without an app enrols during the login, sees the recovery codes, then gets the token", async () => {
    const { gh, clock, realm, newUser, login } = await setup({ mfa_policy: "required" });
    const user = await newUser();
    const step = pendingStep(await login(user.email));
    expect(step.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/enrol-2fa`);
    expect(await sessionsOf(gh, realm, user.id)).toHaveLength(0);

    const view = await gh.flows.enrolmentStep(realm, step.flowSecret);
    if (view?.kind !== "setup") throw new Error("expected the setup view");
    const uri = new URL(view.uri);
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("issuer")).toBe(realm.name);
    expect(decodeURIComponent(uri.pathname)).toContain(user.email);
    // A reload shows the same key.
    expect(await gh.flows.enrolmentStep(realm, step.flowSecret)).toEqual(view);
    // Nothing goes on before the app is confirmed.
    await expect(gh.flows.continueAfterEnrolment(realm, step.flowSecret, ctx)).rejects.toMatchObject({
      code: "mfa.enrolment_missing",
    });
    await expect(
      gh.flows.confirmEnrolmentStep(realm, step.flowSecret, { code: "000000" }, ctx),
    ).rejects.toMatchObject({ fields: [{ field: "code", code: "mfa.code_invalid" }] });
    expect((await gh.mfa.status(realm.id, user.id)).enabled).toBe(false);

    const codes = await gh.flows.confirmEnrolmentStep(
      realm,
      step.flowSecret,
      { code: totpCode(view.secret, clock.now()) },
      ctx,
    );
    expect(codes).toHaveLength(10);
    expect(await gh.mfa.status(realm.id, user.id)).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    // The user hears of it: whoever knows the password could have enrolled their own app here.
    expect((await gh.outbox.latest({ realmId: realm.id, to: user.email })).map((m) => m.template)).toContain(
      "mfa_enabled",
    );
    // Still no session: the codes are on screen, waiting for "I have saved these codes".
    expect(await sessionsOf(gh, realm, user.id)).toHaveLength(0);
    expect(await gh.flows.enrolmentStep(realm, step.flowSecret)).toEqual({
      kind: "confirmed",
      email: user.email,
    });
    await expect(
      gh.flows.confirmEnrolmentStep(
        realm,
        step.flowSecret,
        { code: totpCode(view.secret, clock.now()) },
        ctx,
      ),
    ).rejects.toMatchObject({ code: "flow.invalid" });

    const done = finished(await gh.flows.continueAfterEnrolment(realm, step.flowSecret, ctx));
    expect(tokenOf(done.redirectUrl)).toMatchObject({ sub: user.id, amr: ["pwd", "otp"] });
    expect(await eventsOf(gh, realm, "user.mfa_enabled")).toEqual([
      { userId: user.id, data: { via: "login", method: "totp", recovery_codes: 10 } },
    ]);

    // From now on the login asks for a code.
    clock.advance(30_000);
    const next = pendingStep(await login(user.email));
    expect(next.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/verify`);
    const again = finished(
      await gh.flows.verifySecondFactor(
        realm,
        next.flowSecret,
        "totp",
        { code: totpCode(view.secret, clock.now()) },
        ctx,
      ),
    );
    expect(again.session.amr).toEqual(["pwd", "otp"]);
  });

  it("required: a new flow gets a new key; an enrolment left unconfirmed elsewhere is not reused", async () => {
    const { gh, clock, realm, newUser, login } = await setup({ mfa_policy: "required" });
    const user = await newUser();
    const first = await gh.flows.enrolmentStep(realm, pendingStep(await login(user.email)).flowSecret);
    clock.advance(1000);
    const second = await gh.flows.enrolmentStep(realm, pendingStep(await login(user.email)).flowSecret);
    if (first?.kind !== "setup" || second?.kind !== "setup") throw new Error("expected the setup view");
    expect(second.secret).not.toBe(first.secret);
  });

  it("required: signup enrols before the token", async () => {
    const { gh, clock, realm, entry } = await setup({ mfa_policy: "required" });
    const step = pendingStep(
      await gh.flows.signup(realm, entry, { email: "new-member@example.com", password }, ctx),
    );
    expect(step.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/enrol-2fa`);
    const view = await gh.flows.enrolmentStep(realm, step.flowSecret);
    if (view?.kind !== "setup") throw new Error("expected the setup view");
    await gh.flows.confirmEnrolmentStep(
      realm,
      step.flowSecret,
      { code: totpCode(view.secret, clock.now()) },
      ctx,
    );
    const done = finished(await gh.flows.continueAfterEnrolment(realm, step.flowSecret, ctx));
    const url = new URL(done.redirectUrl);
    expect(url.searchParams.get("signup")).toBe("true");
    expect(tokenOf(done.redirectUrl)).toMatchObject({ email: "new-member@example.com", amr: ["pwd", "otp"] });
    expect(await eventsOf(gh, realm, "user.signup")).toHaveLength(1);
  });

  it("permission: only members holding a matching permission must enrol", async () => {
    const { gh, realm, newUser, login } = await setup({
      mfa_policy: "permission",
      mfa_permission: "admin:users",
    });
    const admin = await newUser();
    await member(gh, realm, admin.id, ["billing:read"]);
    await member(gh, realm, admin.id, ["admin:*"]);
    const reader = await newUser();
    await member(gh, realm, reader.id, ["billing:read", "admin:groups"]);
    const outsider = await newUser();

    expect(pendingStep(await login(admin.email)).redirectUrl).toBe(`${gh.realmUrl(realm)}/login/enrol-2fa`);
    expect((await login(reader.email)).kind).toBe("done");
    expect((await login(outsider.email)).kind).toBe("done");
  });

  it("permission: the realm API refuses the policy without a permission (422)", async () => {
    const { gh, realm } = await setup();
    const missing = {
      status: 422,
      code: "validation.failed",
      fields: [{ field: "settings.mfa_permission", code: "mfa_permission.required" }],
    };
    await expect(
      gh.realms.update(realm.id, { settings: { mfa_policy: "permission" } }),
    ).rejects.toMatchObject(missing);
    await expect(
      gh.realms.create({
        slug: `p${Date.now().toString(36)}`,
        name: "P",
        settings: { mfa_policy: "permission" },
      }),
    ).rejects.toMatchObject(missing);
    const updated = await gh.realms.update(realm.id, {
      settings: { mfa_policy: "permission", mfa_permission: "admin:*" },
    });
    expect(updated.settings).toMatchObject({ mfa_policy: "permission", mfa_permission: "admin:*" });
    await expect(gh.realms.update(realm.id, { settings: { mfa_permission: null } })).rejects.toMatchObject(
      missing,
    );
    expect((await gh.realms.get(realm.id)).settings.mfa_permission).toBe("admin:*");
    // Another policy may leave the permission empty.
    expect(
      (await gh.realms.update(realm.id, { settings: { mfa_policy: "optional", mfa_permission: null } }))
        .settings,
    ).toMatchObject({ mfa_policy: "optional", mfa_permission: null });
  });
});

describe("seamless SSO and the second factor", () => {
  it("a session without otp gets no seamless token once the user has an app; one with otp does", async () => {
    const { gh, clock, realm, entry, newUser, login } = await setup();
    const user = await newUser();
    const first = finished(await login(user.email));
    expect(await gh.flows.seamless(realm, entry, first.sessionSecret, ctx)).toContain("token=");

    const totp = await enrolTotp(gh, clock, realm, user);
    expect(await gh.flows.seamless(realm, entry, first.sessionSecret, ctx)).toBeNull();

    const step = pendingStep(await login(user.email, realm, first.sessionSecret));
    const second = finished(
      await gh.flows.verifySecondFactor(realm, step.flowSecret, "totp", { code: totp.code() }, ctx),
    );
    const url = await gh.flows.seamless(realm, entry, second.sessionSecret, ctx);
    expect(tokenOf(url ?? "")).toMatchObject({ amr: ["pwd", "otp"] });
  });

  it("a session without otp gets no seamless token once the realm requires a second factor", async () => {
    const { gh, realm, entry, newUser, login } = await setup();
    const user = await newUser();
    const done = finished(await login(user.email));
    const strict = await gh.realms.update(realm.id, { settings: { mfa_policy: "required" } });
    expect(await gh.flows.seamless(strict, entry, done.sessionSecret, ctx)).toBeNull();
    // Nor to the realm's own profile page through the login.
    const profile = await gh.flows.entry(strict, { return_to: "profile" });
    expect(await gh.flows.seamless(strict, profile, done.sessionSecret, ctx)).toBeNull();
    // The login runs instead, and asks for enrolment.
    expect(pendingStep(await login(user.email, strict, done.sessionSecret)).redirectUrl).toBe(
      `${gh.realmUrl(realm)}/login/enrol-2fa`,
    );
  });
});

describe("every way in passes the second factor", () => {
  it("a password-reset link does not bypass the app's code", async () => {
    const { gh, clock, realm, entry, newUser } = await setup();
    const user = await newUser();
    const totp = await enrolTotp(gh, clock, realm, user);
    const request = await gh.flows.requestPasswordReset(realm, entry, { email: user.email }, ctx);
    await request.deliver();
    const [mail] = await gh.outbox.latest({ realmId: realm.id, to: user.email });
    const link = mail?.text.match(/https?:\/\/\S+\/reset\?token=[\w-]+/)?.[0];
    const secret = new URL(link ?? "").searchParams.get("token") ?? "";

    const step = pendingStep(
      await gh.flows.resetPassword(realm, secret, { password: "a-brand-new-passphrase-77" }, ctx),
    );
    expect(step.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/verify`);
    expect(await sessionsOf(gh, realm, user.id)).toHaveLength(0);
    await expect(
      gh.flows.verifySecondFactor(realm, step.flowSecret, "totp", { code: "000000" }, ctx),
    ).rejects.toMatchObject({ fields: [{ code: "mfa.code_invalid" }] });
    const done = finished(
      await gh.flows.verifySecondFactor(realm, step.flowSecret, "totp", { code: totp.code() }, ctx),
    );
    expect(tokenOf(done.redirectUrl)).toMatchObject({ sub: user.id, amr: ["pwd", "otp"] });
  });
});
