import { and, eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { tables } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import type { RawProfile } from "@/lib/social";
import type { SocialUpstream } from "@/lib/social/upstream";
import { testRealm, testServices } from "@/test/db";
import { enrolTotp, eventsOf, finished, pendingStep, sessionsOf } from "@/test/mfa";
import type { LoginOutcome } from "./login-flows";
import type { SocialFailure, SocialRedirect } from "./social-login";

const ctx = { ip: "203.0.113.40", userAgent: "vitest" };
const PASSWORD = "correct-horse-battery-staple";

/**
 * A provider without a network: `authorize` hands out a fresh state each time, `finish` answers the
 * callback's `code` with the ID token claims registered for it.
 */
function fakeUpstream() {
  const accounts = new Map<string, Record<string, unknown>>();
  /** Whether each authorization request asked the provider for a fresh authentication. */
  const forceLogins: boolean[] = [];
  let n = 0;
  const upstream: SocialUpstream = {
    async authorize(_resolved, redirectUri, options) {
      n += 1;
      forceLogins.push(options?.forceLogin === true);
      const state = `state-${n}-${Math.random().toString(36).slice(2)}`;
      return {
        url: `https://idp.example/authorize?state=${state}&redirect_uri=${encodeURIComponent(redirectUri)}`,
        state,
        nonce: `nonce-${n}`,
        codeVerifier: `verifier-${n}`,
      };
    },
    async finish(_resolved, input): Promise<RawProfile> {
      if (input.params.get("state") !== input.state) throw new Error("the flow must compare state first");
      const claims = accounts.get(input.params.get("code") ?? "");
      if (!claims) throw new Error("unknown code");
      return { idToken: claims, extra: {} };
    },
  };
  return { upstream, accounts, forceLogins };
}

async function setup(settings: Record<string, unknown> = {}) {
  const clock = fixedClock("2026-11-29T12:00:00Z");
  const fake = fakeUpstream();
  const gh = await testServices({ clock, socialUpstream: fake.upstream });
  const { realm, app } = await testRealm(gh, settings);
  const provider = await gh.socialProviders.create(realm.id, {
    slug: "acme",
    kind: "oidc",
    displayName: "Acme ID",
    clientId: "gatehouse-client",
    clientSecret: "upstream-secret",
    scopes: [],
    config: { issuer: "https://idp.example" },
    enabled: true,
    position: 0,
  });

  /** A whole social login: the button, the provider (as `claims`), the callback. */
  async function socialLogin(
    claims: Record<string, unknown>,
    options: {
      state?: (real: string) => string;
      query?: Record<string, string>;
      start?: Record<string, string>;
    } = {},
  ) {
    const start = await gh.flows.startSocialLogin(
      realm,
      "acme",
      { state: "app-state", ...options.start },
      ctx,
    );
    if (start.kind !== "upstream") throw new Error(`start failed: ${start.redirectUrl}`);
    const state = new URL(start.redirectUrl).searchParams.get("state") ?? "";
    const code = `code-${Math.random().toString(36).slice(2)}`;
    fake.accounts.set(code, claims);
    const query = new URLSearchParams({
      code,
      state: options.state ? options.state(state) : state,
      ...options.query,
    });
    const callback = () => gh.flows.finishSocialLogin(realm, "acme", start.flowSecret, query, ctx);
    return { start, callback, outcome: await callback() };
  }

  return { gh, clock, realm, app, provider, socialLogin, fake };
}

const failedWith = (outcome: LoginOutcome | SocialFailure | SocialRedirect) => {
  if (outcome.kind !== "failed") throw new Error(`expected a failure, got ${outcome.kind}`);
  return outcome;
};

const amrOf = (redirectUrl: string) => decodeJwt(new URL(redirectUrl).searchParams.get("token") ?? "").amr;

describe("social login: start and callback", () => {
  it("a new identity signs up (open realm): user with the provider's verified email and names, linked, amr social", async () => {
    const { gh, realm, provider, socialLogin } = await setup();
    const { start, outcome } = await socialLogin({
      sub: "u-1",
      email: "New.Person@Example.com",
      email_verified: true,
      given_name: "New",
      family_name: "Person",
    });
    expect(start.redirectUrl).toContain(
      encodeURIComponent(`${gh.realmUrl(realm)}/login/social/acme/callback`),
    );
    const done = finished(outcome as LoginOutcome);
    expect(amrOf(done.redirectUrl)).toEqual(["social:acme"]);
    expect(new URL(done.redirectUrl).searchParams.get("signup")).toBe("true");
    expect(new URL(done.redirectUrl).searchParams.get("state")).toBe("app-state");
    const user = await gh.users.find(realm.id, done.session.userId);
    expect(user).toMatchObject({
      email: "new.person@example.com",
      emailVerified: true,
      firstName: "New",
      lastName: "Person",
    });
    expect(await gh.users.passwordHash(realm.id, done.session.userId)).toBeNull();
    const identity = await gh.identities.findBySubject(realm.id, provider.id, "u-1");
    expect(identity?.userId).toBe(done.session.userId);
    // A social login proves no password: recent-auth pages still ask for one.
    const [session] = await sessionsOf(gh, realm, done.session.userId);
    expect(session?.passwordVerifiedAt).toBeNull();
    expect((await eventsOf(gh, realm, "user.signup")).map((e) => e.data.amr)).toEqual([["social:acme"]]);
    expect((await eventsOf(gh, realm, "user.identity_linked")).map((e) => e.data)).toEqual([
      { provider: "acme", how: "signup" },
    ]);
  });

  it("a returning identity logs in as the same user", async () => {
    const { gh, realm, socialLogin } = await setup();
    const first = finished(
      (await socialLogin({ sub: "u-2", email: "back@example.com", email_verified: true }))
        .outcome as LoginOutcome,
    );
    // The email changed at the provider: matching goes by subject, never by address.
    const second = finished(
      (await socialLogin({ sub: "u-2", email: "renamed@example.com" })).outcome as LoginOutcome,
    );
    expect(second.session.userId).toBe(first.session.userId);
    expect(new URL(second.redirectUrl).searchParams.get("signup")).toBeNull();
    expect(await eventsOf(gh, realm, "user.login")).toHaveLength(1);
  });

  it("an unverified provider email signs up an unverified user: the realm's verify-email step applies", async () => {
    const { gh, realm, socialLogin } = await setup({ email_verification: "require" });
    const step = pendingStep(
      (await socialLogin({ sub: "u-3", email: "unsure@example.com", email_verified: false }))
        .outcome as LoginOutcome,
    );
    expect(step.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/verify-email`);
  });

  it("a replayed callback finds nothing", async () => {
    const { socialLogin } = await setup();
    const { outcome, callback } = await socialLogin({
      sub: "u-4",
      email: "once@example.com",
      email_verified: true,
    });
    finished(outcome as LoginOutcome);
    expect(failedWith(await callback()).code).toBe("social.state_invalid");
  });

  it("passes the login's prompt=login on to the provider", async () => {
    const { gh, realm, fake } = await setup();
    await gh.flows.startSocialLogin(realm, "acme", { state: "s" }, ctx);
    await gh.flows.startSocialLogin(realm, "acme", { state: "s", prompt: "login" }, ctx);
    expect(fake.forceLogins).toEqual([false, true]);
  });

  it("a tampered state is refused, and the flow is spent with it", async () => {
    const { gh, realm, socialLogin } = await setup();
    const { outcome, callback } = await socialLogin(
      { sub: "u-5", email: "tamper@example.com" },
      { state: (real) => `${real}x` },
    );
    const failure = failedWith(outcome);
    expect(failure.code).toBe("social.state_invalid");
    expect(failure.redirectUrl).toMatch(new RegExp(`^${gh.realmUrl(realm)}/login\\?`));
    expect(new URL(failure.redirectUrl).searchParams.get("state")).toBe("app-state");
    expect(failedWith(await callback()).code).toBe("social.state_invalid");
    expect(await gh.users.findForLogin(realm.id, "tamper@example.com")).toBeNull();
  });

  it("a cancel at the provider lands on the login page with social.cancelled", async () => {
    const { socialLogin } = await setup();
    const { outcome } = await socialLogin({ sub: "u-6" }, { query: { error: "access_denied" } });
    expect(failedWith(outcome).code).toBe("social.cancelled");
  });

  it("a disabled or unknown provider is refused at the start and at the callback", async () => {
    const { gh, realm, provider } = await setup();
    const unknown = await gh.flows.startSocialLogin(realm, "nope", {}, ctx);
    expect(failedWith(unknown).code).toBe("social.provider_not_found");
    const start = await gh.flows.startSocialLogin(realm, "acme", {}, ctx);
    if (start.kind !== "upstream") throw new Error("start failed");
    await gh.socialProviders.update(realm.id, provider.id, { enabled: false });
    expect(failedWith(await gh.flows.startSocialLogin(realm, "acme", {}, ctx)).code).toBe(
      "social.provider_not_found",
    );
    const state = new URL(start.redirectUrl).searchParams.get("state") ?? "";
    const callback = await gh.flows.finishSocialLogin(
      realm,
      "acme",
      start.flowSecret,
      new URLSearchParams({ code: "c", state }),
      ctx,
    );
    expect(failedWith(callback).code).toBe("social.provider_not_found");
  });

  it("a bad entry never redirects anywhere but the realm's login page", async () => {
    const { gh, realm } = await setup();
    const failure = failedWith(
      await gh.flows.startSocialLogin(realm, "acme", { redirect_uri: "https://evil.example/" }, ctx),
    );
    expect(failure.redirectUrl.startsWith(`${gh.realmUrl(realm)}/login?`)).toBe(true);
  });

  it("signup rules apply: closed and invitation-only realms refuse a new identity", async () => {
    for (const [mode, code] of [
      ["closed", "signup.closed"],
      ["invitation", "signup.invitation_required"],
    ]) {
      const { gh, realm, socialLogin } = await setup({ signup_mode: mode });
      const { outcome } = await socialLogin({
        sub: "u-7",
        email: "nobody@example.com",
        email_verified: true,
      });
      expect(failedWith(outcome).code).toBe(code);
      expect(await gh.users.findForLogin(realm.id, "nobody@example.com")).toBeNull();
    }
  });

  it("an identity without email cannot sign up", async () => {
    const { socialLogin } = await setup();
    expect(failedWith((await socialLogin({ sub: "u-8" })).outcome).code).toBe("social.email_missing");
  });

  it("an inactive user's identity does not log in", async () => {
    const { gh, realm, socialLogin } = await setup();
    const first = finished(
      (await socialLogin({ sub: "u-9", email: "inactive@example.com", email_verified: true }))
        .outcome as LoginOutcome,
    );
    await gh.users.update(realm, first.session.userId, { state: "inactive" });
    expect(failedWith((await socialLogin({ sub: "u-9" })).outcome).code).toBe("social.failed");
    expect((await eventsOf(gh, realm, "user.login_failed")).map((e) => e.data)).toEqual([
      { method: "social:acme", reason: "inactive" },
    ]);
  });
});

describe("social login: an existing account with the same email", () => {
  async function withUser(settings: Record<string, unknown>, emailVerified: boolean) {
    const env = await setup(settings);
    const user = await env.gh.users.create(env.realm, {
      email: "owner@example.com",
      password: PASSWORD,
      email_verified: emailVerified,
    });
    return { ...env, user };
  }
  const claims = (verified: boolean) => ({
    sub: "g-1",
    email: "owner@example.com",
    email_verified: verified,
  });

  it("auto-links when the provider verified the email, the realm allows it and the user's email is confirmed", async () => {
    const { gh, realm, user, provider, socialLogin } = await withUser({ social_auto_link: true }, true);
    const done = finished((await socialLogin(claims(true))).outcome as LoginOutcome);
    expect(done.session.userId).toBe(user.id);
    expect(amrOf(done.redirectUrl)).toEqual(["social:acme"]);
    expect((await gh.identities.findBySubject(realm.id, provider.id, "g-1"))?.userId).toBe(user.id);
    expect((await eventsOf(gh, realm, "user.identity_linked")).map((e) => e.data.how)).toEqual(["auto"]);
  });

  for (const [name, settings, localVerified, providerVerified] of [
    ["the provider does not vouch for the email", { social_auto_link: true }, true, false],
    ["the realm does not auto-link", { social_auto_link: false }, true, true],
    ["the user's own email is unconfirmed", { social_auto_link: true }, false, true],
  ] as const) {
    it(`asks for the password when ${name}`, async () => {
      const { gh, realm, provider, socialLogin } = await withUser(settings, localVerified);
      const step = pendingStep((await socialLogin(claims(providerVerified))).outcome as LoginOutcome);
      expect(step.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/link`);
      expect(await gh.identities.findBySubject(realm.id, provider.id, "g-1")).toBeNull();
      expect(
        await sessionsOf(
          gh,
          realm,
          (await gh.users.findForLogin(realm.id, "owner@example.com"))?.user.id ?? "",
        ),
      ).toHaveLength(0);
      expect(await gh.flows.linkIdentityStep(realm, step.flowSecret)).toMatchObject({
        email: "owner@example.com",
        providerName: "Acme ID",
        hasPassword: true,
      });
    });
  }

  it("links after the right password: amr pwd + social; a wrong one is refused like a login and counted", async () => {
    const { gh, realm, user, provider, socialLogin } = await withUser(
      { login_delay_after_failures: 50 },
      true,
    );
    const step = pendingStep((await socialLogin(claims(false))).outcome as LoginOutcome);
    const wrong = await gh.flows
      .linkIdentityWithPassword(realm, step.flowSecret, { password: "not-it" }, ctx)
      .catch((error: unknown) => error);
    expect(isAppError(wrong) && wrong.code).toBe("auth.invalid_credentials");
    expect((await eventsOf(gh, realm, "user.login_failed")).map((e) => e.data)).toEqual([
      { reason: "wrong_password", method: "link:social:acme" },
    ]);
    expect(await gh.identities.findBySubject(realm.id, provider.id, "g-1")).toBeNull();

    const done = finished(
      await gh.flows.linkIdentityWithPassword(realm, step.flowSecret, { password: PASSWORD }, ctx),
    );
    expect(done.session.userId).toBe(user.id);
    expect(amrOf(done.redirectUrl)).toEqual(["pwd", "social:acme"]);
    expect((await gh.identities.findBySubject(realm.id, provider.id, "g-1"))?.userId).toBe(user.id);
    expect((await eventsOf(gh, realm, "user.identity_linked")).map((e) => e.data.how)).toEqual(["password"]);
    // The flow is spent: the same cookie links nothing twice.
    expect(await gh.flows.linkIdentityStep(realm, step.flowSecret)).toBeNull();

    // And next time the identity alone logs in.
    const again = finished((await socialLogin(claims(false))).outcome as LoginOutcome);
    expect(again.session.userId).toBe(user.id);
  });

  it("the link step shares the login's throttle: once the account is locked, the right password is refused too", async () => {
    const { gh, realm, socialLogin } = await withUser(
      { login_lock_after_failures: 3, login_delay_after_failures: 50 },
      true,
    );
    const step = pendingStep((await socialLogin(claims(false))).outcome as LoginOutcome);
    const attempt = (password: string) =>
      gh.flows.linkIdentityWithPassword(realm, step.flowSecret, { password }, ctx).then(
        () => "ok",
        (error: unknown) => (isAppError(error) ? error.code : error),
      );
    for (let i = 0; i < 3; i++) expect(await attempt(`wrong-${i}`)).toBe("auth.invalid_credentials");
    expect(await attempt(PASSWORD)).toBe("auth.invalid_credentials");
    expect((await eventsOf(gh, realm, "user.login_failed")).at(-1)?.data.reason).toBe("locked");
    // The password form is locked for the same account and address.
    const entry = await gh.flows.entry(realm, {});
    const login = await gh.flows
      .loginWithPassword(realm, entry, { email: "owner@example.com", password: PASSWORD }, ctx)
      .then(
        () => "ok",
        (error: unknown) => (isAppError(error) ? error.code : error),
      );
    expect(login).toBe("auth.invalid_credentials");
  });

  it("a social-only realm asks for no password on the link step", async () => {
    const env = await setup({ password_login: false });
    await env.gh.users.create(env.realm, { email: "owner@example.com", password: PASSWORD });
    const step = pendingStep((await env.socialLogin(claims(false))).outcome as LoginOutcome);
    expect(await env.gh.flows.linkIdentityStep(env.realm, step.flowSecret)).toMatchObject({
      hasPassword: false,
    });
    await expect(
      env.gh.flows.linkIdentityWithPassword(env.realm, step.flowSecret, { password: PASSWORD }, ctx),
    ).rejects.toMatchObject({ code: "auth.password_login_disabled" });
  });

  it("links only once the second factor passes: a password alone links nothing", async () => {
    const env = await withUser({}, true);
    const totp = await enrolTotp(env.gh, env.clock, env.realm, env.user);
    const link = pendingStep((await env.socialLogin(claims(false))).outcome as LoginOutcome);
    const verify = pendingStep(
      await env.gh.flows.linkIdentityWithPassword(env.realm, link.flowSecret, { password: PASSWORD }, ctx),
    );
    expect(verify.redirectUrl).toBe(`${env.gh.realmUrl(env.realm)}/login/verify`);
    expect(await env.gh.identities.countForUser(env.realm.id, env.user.id)).toBe(0);
    const done = finished(
      await env.gh.flows.verifySecondFactor(env.realm, verify.flowSecret, "totp", { code: totp.code() }, ctx),
    );
    expect(amrOf(done.redirectUrl)).toEqual(["pwd", "social:acme", "otp"]);
    expect(await env.gh.identities.countForUser(env.realm.id, env.user.id)).toBe(1);
    expect((await eventsOf(env.gh, env.realm, "user.identity_linked")).map((e) => e.data)).toEqual([
      { provider: "acme", how: "password" },
    ]);
  });
});

describe("social login: an address the provider does not vouch for", () => {
  /** The secret of the newest verification link queued for `to`. */
  async function verificationSecret(gh: Services, realm: Realm, to: string) {
    const rows = await gh.db
      .select()
      .from(tables.emailOutbox)
      .where(and(eq(tables.emailOutbox.realmId, realm.id), eq(tables.emailOutbox.toAddress, to)));
    const token = JSON.stringify(rows.at(-1)).match(/verify-email\?token=([A-Za-z0-9_-]+)/)?.[1];
    if (!token) throw new Error(`no verification link to ${to}`);
    return token;
  }

  it("links a new account's identity only once its address is confirmed in this login, whatever the realm's mode", async () => {
    const { gh, realm, provider, socialLogin } = await setup({ email_verification: "off" });
    const step = pendingStep(
      (await socialLogin({ sub: "x-1", email: "claimed@example.com", email_verified: false }))
        .outcome as LoginOutcome,
    );
    expect(step.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/verify-email`);
    const user = await gh.users.findForLogin(realm.id, "claimed@example.com");
    expect(user?.user.emailVerified).toBe(false);
    expect(await gh.identities.findBySubject(realm.id, provider.id, "x-1")).toBeNull();
    // "Continue" without the link goes nowhere, even though the realm does not verify addresses.
    expect(await gh.flows.continueAfterVerification(realm, step.flowSecret, ctx)).toBeNull();

    const secret = await verificationSecret(gh, realm, "claimed@example.com");
    const confirmed = await gh.flows.confirmEmail(realm, secret, step.flowSecret, ctx);
    if (confirmed.kind !== "login") throw new Error("the login should go on in this browser");
    const done = finished(confirmed.outcome);
    expect((await gh.identities.findBySubject(realm.id, provider.id, "x-1"))?.userId).toBe(
      done.session.userId,
    );
  });

  it("an abandoned claim leaves an account nobody holds; the next one to confirm the address gets it", async () => {
    const { gh, realm, provider, socialLogin } = await setup();
    // The attacker's provider names the victim's address without vouching for it, and gives up.
    pendingStep(
      (await socialLogin({ sub: "attacker", email: "victim@example.com", email_verified: false }))
        .outcome as LoginOutcome,
    );
    expect(await gh.identities.findBySubject(realm.id, provider.id, "attacker")).toBeNull();
    // The owner of the address signs in the same way and confirms it: the account is theirs.
    const step = pendingStep(
      (await socialLogin({ sub: "owner", email: "victim@example.com", email_verified: false }))
        .outcome as LoginOutcome,
    );
    expect(step.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/verify-email`);
    const secret = await verificationSecret(gh, realm, "victim@example.com");
    const confirmed = await gh.flows.confirmEmail(realm, secret, step.flowSecret, ctx);
    if (confirmed.kind !== "login") throw new Error("the login should go on in this browser");
    finished(confirmed.outcome);
    expect(await gh.identities.findBySubject(realm.id, provider.id, "owner")).not.toBeNull();
    expect(await gh.identities.findBySubject(realm.id, provider.id, "attacker")).toBeNull();
  });
});

describe("social login: signup through an invitation", () => {
  const invitationOf = (url: string) => new URL(url).searchParams.get("invitation") ?? "";

  it("an invitation-only realm takes a new identity with a valid invitation, which is then spent", async () => {
    const { gh, realm, provider, socialLogin } = await setup({ signup_mode: "invitation" });
    const { invitation, url } = await gh.invitations.create(realm, {});
    const secret = invitationOf(url);
    const { outcome } = await socialLogin(
      { sub: "inv-1", email: "Invited@Example.com", email_verified: false },
      { start: { invitation: secret } },
    );
    // An invitation for anyone does not vouch for the address: it is confirmed before the link.
    expect(pendingStep(outcome as LoginOutcome).redirectUrl).toBe(`${gh.realmUrl(realm)}/login/verify-email`);
    const user = await gh.users.findForLogin(realm.id, "invited@example.com");
    expect(user?.user.emailVerified).toBe(false);
    expect(await gh.identities.findBySubject(realm.id, provider.id, "inv-1")).toBeNull();
    const [row] = (await gh.invitations.list(realm.id, { limit: 10 })).data;
    expect(row).toMatchObject({ id: invitation.id, status: "used", usedBy: user?.user.id });

    // The link is spent: a second person cannot use it, neither at the start nor at the callback.
    const again = await gh.flows.startSocialLogin(realm, "acme", { state: "s", invitation: secret }, ctx);
    expect(failedWith(again).code).toBe("signup.invitation_invalid");
    expect(await gh.invitations.findUsable(realm.id, secret)).toBeNull();
  });

  it("two logins started with one invitation: only the first callback creates an account", async () => {
    const { gh, realm, socialLogin, fake } = await setup({ signup_mode: "invitation" });
    const secret = invitationOf((await gh.invitations.create(realm, {})).url);
    fake.accounts.set("code-second", { sub: "inv-2b", email: "second@example.com", email_verified: true });
    const second = await gh.flows.startSocialLogin(realm, "acme", { state: "s", invitation: secret }, ctx);
    const first = await socialLogin(
      { sub: "inv-2", email: "first@example.com", email_verified: true },
      { start: { invitation: secret } },
    );
    expect(first.outcome.kind).not.toBe("failed");
    if (second.kind !== "upstream") throw new Error("second start failed");
    // The second login went upstream before the first came back; its callback finds the link spent.
    const state = new URL(second.redirectUrl).searchParams.get("state") ?? "";
    const query = new URLSearchParams({ code: "code-second", state });
    const outcome = await gh.flows.finishSocialLogin(realm, "acme", second.flowSecret, query, ctx);
    expect(failedWith(outcome).code).toBe("signup.invitation_invalid");
    expect(await gh.users.findForLogin(realm.id, "second@example.com")).toBeNull();
  });

  it("an invitation bound to an address: that address (normalised) only, and it counts as verified", async () => {
    const { gh, realm, socialLogin } = await setup({
      signup_mode: "invitation",
      signup_email_domains_allow: ["corp.example"],
    });
    const secret = invitationOf(
      (await gh.invitations.create(realm, { email: "guest@elsewhere.example" })).url,
    );

    const other = await socialLogin(
      { sub: "inv-3", email: "someone.else@elsewhere.example", email_verified: true },
      { start: { invitation: secret } },
    );
    expect(failedWith(other.outcome).code).toBe("invitation.email_mismatch");
    expect(await gh.users.findForLogin(realm.id, "someone.else@elsewhere.example")).toBeNull();
    expect(await gh.invitations.findUsable(realm.id, secret)).not.toBeNull();

    // Same address in another case and with full-width letters: NFKC + lower case, like stored emails.
    const { outcome } = await socialLogin(
      { sub: "inv-4", email: " ＧＵＥＳＴ@Elsewhere.Example", email_verified: false },
      { start: { invitation: secret } },
    );
    expect(outcome.kind).not.toBe("failed");
    // The admin sent the invitation to this address: verified, and outside the domain allow-list.
    const found = await gh.users.findForLogin(realm.id, "guest@elsewhere.example");
    expect(found?.user.emailVerified).toBe(true);
    expect(await gh.invitations.findUsable(realm.id, secret)).toBeNull();
  });

  it("without an invitation, or with a malformed one, an invitation-only realm refuses", async () => {
    const { gh, realm, socialLogin } = await setup({ signup_mode: "invitation" });
    const none = await socialLogin({ sub: "inv-5", email: "x@example.com", email_verified: true });
    expect(failedWith(none.outcome).code).toBe("signup.invitation_required");
    const bad = await gh.flows.startSocialLogin(realm, "acme", { invitation: "not-a-secret" }, ctx);
    expect(failedWith(bad).code).toBe("signup.invitation_invalid");
    expect(bad.redirectUrl).not.toContain("not-a-secret");
    expect(await gh.users.findForLogin(realm.id, "x@example.com")).toBeNull();
  });

  it("an existing identity logs in and leaves the invitation unspent", async () => {
    const { gh, realm, socialLogin } = await setup({ signup_mode: "invitation" });
    const first = invitationOf((await gh.invitations.create(realm, {})).url);
    await socialLogin(
      { sub: "inv-6", email: "back@example.com", email_verified: true },
      { start: { invitation: first } },
    );
    const second = invitationOf((await gh.invitations.create(realm, {})).url);
    const { outcome } = await socialLogin(
      { sub: "inv-6", email: "back@example.com", email_verified: true },
      { start: { invitation: second } },
    );
    expect(outcome.kind).not.toBe("failed");
    expect(await gh.invitations.findUsable(realm.id, second)).not.toBeNull();
  });
});
