import { and, eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { tables } from "@/lib/db";
import { createDelivery, type Delivery } from "@/lib/email/delivery";
import { createSmtpTransport } from "@/lib/email/transport";
import type { LoginOutcome } from "@/lib/flows";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { completed, testRealm, testServices } from "@/test/db";
import { type SmtpCatcher, startSmtpCatcher } from "@/test/smtp-catcher.mjs";

const ctx = { ip: "203.0.113.7", userAgent: "vitest" };
const password = "a-sturdy-password-of-mine";

let smtp: SmtpCatcher;
let delivery: Delivery;
let base: Services;
beforeAll(async () => {
  smtp = await startSmtpCatcher();
  base = await testServices();
  delivery = createDelivery({
    outbox: base.outbox,
    transport: await createSmtpTransport(smtp.url),
    worker: "verify-tests",
    log: () => {},
  });
});
afterAll(async () => {
  await delivery.stop();
  await smtp.close();
});

let counter = 0;
/** An address no other test of this file uses, so the catcher's mail is this test's own. */
const address = (name: string) => `${name}-${Date.now().toString(36)}-${counter++}@example.com`;

/** Delivers what is queued over real SMTP and returns the secret of the newest link sent to `to`. */
async function linkSentTo(to: string, afterId = 0): Promise<{ link: string; secret: string; id: number }> {
  await delivery.runOnce();
  const mail = await smtp.waitFor({ to, afterId });
  const link = mail.links.find((l) => l.includes("/verify-email?token="));
  if (!link) throw new Error(`no link in "${mail.subject}"`);
  return { link, secret: new URL(link).searchParams.get("token") ?? "", id: mail.id };
}

async function outboxTo(gh: Services, realm: Realm, to: string) {
  return gh.db
    .select()
    .from(tables.emailOutbox)
    .where(and(eq(tables.emailOutbox.realmId, realm.id), eq(tables.emailOutbox.toAddress, to)));
}

async function eventsOf(gh: Services, realm: Realm, type: string) {
  return gh.db
    .select()
    .from(tables.events)
    .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.type, type)));
}

const claimsOf = (outcome: LoginOutcome) =>
  decodeJwt(new URL(completed(outcome).redirectUrl).searchParams.get("token") ?? "");

function stepOf(outcome: LoginOutcome) {
  if (outcome.kind !== "step") throw new Error(`expected a step, got ${outcome.kind}`);
  return outcome;
}

async function setup(mode: "off" | "request" | "require", settings: Record<string, unknown> = {}) {
  const clock = fixedClock("2026-04-01T09:00:00Z");
  const gh = await testServices({ clock });
  const { realm, app } = await testRealm(gh, { email_verification: mode, ...settings });
  const entry = await gh.flows.entry(realm, { state: "st-1" });
  const signup = (email: string) => gh.flows.signup(realm, entry, { email, password }, ctx);
  const login = (email: string, previous?: string) =>
    gh.flows.loginWithPassword(realm, entry, { email, password }, ctx, previous);
  return { gh, clock, realm, app, entry, signup, login };
}

describe("email verification: off and request", () => {
  it("off: a signup sends no email and its token says email_verified false", async () => {
    const { gh, realm, signup } = await setup("off");
    const email = address("off");
    expect(claimsOf(await signup(email))).toMatchObject({ email, email_verified: false });
    expect(await outboxTo(gh, realm, email)).toHaveLength(0);
  });

  it("request: the signup logs in at once (email_verified false) and mails a link that verifies the address once", async () => {
    const { gh, realm, app, signup, login } = await setup("request");
    const email = address("req");
    expect(claimsOf(await signup(email))).toMatchObject({ email, email_verified: false });

    const { link, secret } = await linkSentTo(email);
    expect(link.startsWith(`${gh.realmUrl(realm)}/verify-email?token=`)).toBe(true);
    const mail = smtp.find({ to: email })[0];
    expect(mail?.subject).toBe(`Confirm your email address for ${realm.name}`);
    expect(mail?.text).toContain(`Please confirm that ${email} is your email address`);
    // The link carries the login's entry through: the confirmed page leads back to that app.
    expect((await gh.emailVerification.peek(realm, secret))?.token.data).toMatchObject({
      client_id: app.id,
      redirect_uri: "https://app.example/callback",
      state: "st-1",
    });

    const confirmed = await gh.flows.confirmEmail(realm, secret, undefined, ctx);
    expect(confirmed).toMatchObject({ kind: "confirmed", email, entry: { client_id: app.id } });
    expect(claimsOf(await login(email))).toMatchObject({ email_verified: true });
    const [event] = await eventsOf(gh, realm, "user.email_verified");
    expect(event).toMatchObject({ data: { via: "link" } });

    // Single use: the second click changes nothing and says the link is no good.
    await expect(gh.flows.confirmEmail(realm, secret, undefined, ctx)).rejects.toMatchObject({
      code: "email.link_invalid",
    });
    expect(await gh.emailVerification.peek(realm, secret)).toBeNull();
  });

  it("welcome (opt-in): at signup when addresses are not verified, else once the address is confirmed", async () => {
    const off = await setup("off", { email_welcome: true });
    const plain = address("welcome-off");
    await off.signup(plain);
    expect((await outboxTo(off.gh, off.realm, plain)).map((m) => m.template)).toEqual(["welcome"]);

    const req = await setup("request", { email_welcome: true });
    const checked = address("welcome-req");
    await req.signup(checked);
    expect((await outboxTo(req.gh, req.realm, checked)).map((m) => m.template)).toEqual(["verify_email"]);
    const { secret } = await linkSentTo(checked);
    await req.gh.emailVerification.confirm(req.realm, secret, ctx);
    // (The delivered verification email may be gone already: this file's clock is months back, and
    // the worker purges old sent mail.)
    expect((await outboxTo(req.gh, req.realm, checked)).map((m) => m.template)).toContain("welcome");

    const quiet = await setup("off");
    const none = address("welcome-none");
    await quiet.signup(none);
    expect(await outboxTo(quiet.gh, quiet.realm, none)).toHaveLength(0);
  });

  it("the email is queued in the account's transaction: a signup that fails queues nothing", async () => {
    const { gh, realm, signup } = await setup("request");
    const email = address("dup");
    await signup(email);
    await expect(signup(email.toUpperCase())).rejects.toMatchObject({ code: "user.email_taken" });
    expect(await outboxTo(gh, realm, email)).toHaveLength(1);
  });

  it("of 10 concurrent confirmations of one link exactly one succeeds", async () => {
    const { gh, realm, signup } = await setup("request");
    const email = address("race");
    await signup(email);
    const { secret } = await linkSentTo(email);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => gh.flows.confirmEmail(realm, secret, undefined, ctx)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected"))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "email.link_invalid" });
    expect(await eventsOf(gh, realm, "user.email_verified")).toHaveLength(1);
  });

  it("a link to an address the account has since left verifies nothing", async () => {
    const { gh, realm, signup } = await setup("request");
    const email = address("left");
    const done = completed(await signup(email));
    const { secret } = await linkSentTo(email);
    const moved = address("moved");
    await gh.db
      .update(tables.users)
      .set({ email: moved })
      .where(and(eq(tables.users.realmId, realm.id), eq(tables.users.id, done.session.userId)));
    expect(await gh.emailVerification.peek(realm, secret)).toBeNull();
    await expect(gh.flows.confirmEmail(realm, secret, undefined, ctx)).rejects.toMatchObject({
      code: "email.link_invalid",
    });
    expect((await gh.users.get(realm.id, done.session.userId)).emailVerified).toBe(false);
  });

  it("an invitation naming the address proves it: no email, verified from the start", async () => {
    const { gh, realm, entry } = await setup("require");
    const email = address("invited");
    const { url } = await gh.invitations.create(realm, { email });
    const invitation = new URL(url).searchParams.get("invitation");
    const outcome = await gh.flows.signup(realm, entry, { email, password, invitation }, ctx);
    expect(claimsOf(outcome)).toMatchObject({ email_verified: true });
    expect(await outboxTo(gh, realm, email)).toHaveLength(0);
  });
});

describe("email verification: require", () => {
  it("a signup waits on the verify_email step: no session, no token, one email; its link in this browser finishes the login", async () => {
    const { gh, realm, signup } = await setup("require");
    const email = address("signup");
    const step = stepOf(await signup(email));
    expect(step.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/verify-email`);
    expect(step.redirectUrl).not.toContain("token=");
    expect(await gh.db.select().from(tables.sessions).where(eq(tables.sessions.realmId, realm.id))).toEqual(
      [],
    );
    expect(await gh.flows.verifyEmailStep(realm, step.flowSecret)).toEqual({ email });
    // The signup's own email; the step did not send a second one.
    expect(await outboxTo(gh, realm, email)).toHaveLength(1);
    const [required] = await eventsOf(gh, realm, "user.email_verification_required");
    expect(required).toMatchObject({ data: { email_sent: false } });

    const { secret } = await linkSentTo(email);
    const confirmed = await gh.flows.confirmEmail(realm, secret, step.flowSecret, ctx);
    if (confirmed.kind !== "login") throw new Error("expected the login to finish");
    const landed = new URL(completed(confirmed.outcome).redirectUrl);
    expect(landed.searchParams.get("signup")).toBe("true");
    expect(landed.searchParams.get("state")).toBe("st-1");
    expect(claimsOf(confirmed.outcome)).toMatchObject({ email, email_verified: true });
    // The flow is spent.
    expect(await gh.flows.verifyEmailStep(realm, step.flowSecret)).toBeNull();
  });

  it("a login of an unverified user opens the step and mails a link; seamless SSO hands that user no token", async () => {
    const { gh, realm, entry, login } = await setup("request");
    const email = address("login");
    await gh.users.create(realm, { email, password });
    // A session from while the realm only requested verification…
    const session = completed(await login(email));
    const strict = await gh.realms.update(realm.id, { settings: { email_verification: "require" } });
    // …gets no token once it requires it: the login form, then the step, come first.
    expect(await gh.flows.seamless(strict, entry, session.sessionSecret, ctx)).toBeNull();
    const loginStrict = () => gh.flows.loginWithPassword(strict, entry, { email, password }, ctx);

    const step = stepOf(await loginStrict());
    expect(await gh.flows.verifyEmailStep(strict, step.flowSecret)).toEqual({ email });
    const { secret } = await linkSentTo(email);
    // The step reached again soon sends nothing new: the first email is still on its way.
    stepOf(await loginStrict());
    expect(await outboxTo(gh, realm, email)).toHaveLength(1);

    const confirmed = await gh.flows.confirmEmail(strict, secret, step.flowSecret, ctx);
    expect(confirmed.kind).toBe("login");
    // Verified now: seamless SSO works again, and says so.
    const sso = await gh.flows.seamless(strict, entry, session.sessionSecret, ctx);
    expect(decodeJwt(new URL(sso ?? "").searchParams.get("token") ?? "")).toMatchObject({
      email_verified: true,
    });
  });

  it("the link opened in another browser confirms; the step's Continue then finishes, and not before", async () => {
    const { gh, realm, signup } = await setup("require");
    const email = address("elsewhere");
    const step = stepOf(await signup(email));
    expect(await gh.flows.continueAfterVerification(realm, step.flowSecret, ctx)).toBeNull();

    const { secret } = await linkSentTo(email);
    // Another browser: no flow cookie, so just "confirmed", with the way back to the app.
    const elsewhere = await gh.flows.confirmEmail(realm, secret, undefined, ctx);
    expect(elsewhere).toMatchObject({ kind: "confirmed", email });

    const resumed = await gh.flows.continueAfterVerification(realm, step.flowSecret, ctx);
    if (!resumed) throw new Error("expected the login to go on");
    expect(claimsOf(resumed)).toMatchObject({ email_verified: true });
    await expect(gh.flows.continueAfterVerification(realm, step.flowSecret, ctx)).rejects.toMatchObject({
      code: "flow.invalid",
    });
  });

  it("the flow lasts 10 minutes but the link 24 hours: a late link confirms, and the next login goes straight through", async () => {
    const { gh, clock, realm, signup, login } = await setup("require");
    const email = address("late");
    const step = stepOf(await signup(email));
    const { secret } = await linkSentTo(email);
    clock.advance(3 * 3600_000);
    expect(await gh.flows.verifyEmailStep(realm, step.flowSecret)).toBeNull();
    const confirmed = await gh.flows.confirmEmail(realm, secret, step.flowSecret, ctx);
    expect(confirmed).toMatchObject({ kind: "confirmed", email });
    expect(claimsOf(await login(email))).toMatchObject({ email_verified: true });

    clock.advance(24 * 3600_000);
    const other = address("expired");
    await signup(other);
    const stale = await linkSentTo(other);
    clock.advance(24 * 3600_000 + 1000);
    await expect(gh.flows.confirmEmail(realm, stale.secret, undefined, ctx)).rejects.toMatchObject({
      code: "email.link_invalid",
    });
  });

  it("Resend is limited per recipient and answers the same when it sends nothing; the budget comes back after the hour", async () => {
    const { gh, clock, realm, signup, login } = await setup("require", { email_per_recipient_per_hour: 3 });
    const email = address("resend");
    const step = stepOf(await signup(email)); // 1 of 3
    await gh.flows.resendVerification(realm, step.flowSecret); // 2
    await gh.flows.resendVerification(realm, step.flowSecret); // 3
    // Over the budget: the same (empty) answer, and nothing is sent.
    await expect(gh.flows.resendVerification(realm, step.flowSecret)).resolves.toBeUndefined();
    await gh.flows.resendVerification(realm, step.flowSecret);
    expect(await outboxTo(gh, realm, email)).toHaveLength(3);
    await linkSentTo(email);
    await delivery.runOnce();
    const secrets = smtp
      .find({ to: email })
      .map((mail) =>
        new URL(mail.links.find((l) => l.includes("/verify-email?")) ?? "").searchParams.get("token"),
      );
    expect(secrets).toHaveLength(3);
    // Only the newest link works: each resend voided the one before. (The three were queued at the
    // same instant of this file's fixed clock, so they may arrive in any order.)
    const live = [];
    for (const secret of secrets) if (await gh.emailVerification.peek(realm, secret)) live.push(secret);
    expect(live).toHaveLength(1);

    clock.advance(3600_000);
    // The flow has expired by now; a new login starts the step again, and its email goes out.
    await expect(gh.flows.resendVerification(realm, step.flowSecret)).rejects.toMatchObject({
      code: "flow.invalid",
    });
    const again = stepOf(await login(email));
    expect(await outboxTo(gh, realm, email)).toHaveLength(4);
    await gh.flows.resendVerification(realm, again.flowSecret);
    expect(await outboxTo(gh, realm, email)).toHaveLength(5);
  });

  it("a password that must change comes first, then the address; the token waits for both", async () => {
    const { gh, realm, login } = await setup("require");
    const email = address("both");
    const user = await gh.users.create(realm, { email, password });
    await gh.users.update(realm, user.id, { must_change_password: true });
    const first = stepOf(await login(email));
    expect(first.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/password`);
    // The address waits for its turn: no email yet, and its page does not serve this flow.
    expect(await outboxTo(gh, realm, email)).toHaveLength(0);
    expect(await gh.flows.verifyEmailStep(realm, first.flowSecret)).toBeNull();

    const second = stepOf(
      await gh.flows.choosePassword(realm, first.flowSecret, { password: "a-brand-new-secret-77" }, ctx),
    );
    expect(second.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/verify-email`);
    const { secret } = await linkSentTo(email);
    const confirmed = await gh.flows.confirmEmail(realm, secret, second.flowSecret, ctx);
    if (confirmed.kind !== "login") throw new Error("expected the login to finish");
    expect(claimsOf(confirmed.outcome)).toMatchObject({ sub: user.id, email_verified: true });
  });

  it("a link confirmed while the flow still waits on a password change does not skip the change", async () => {
    const { gh, realm, login } = await setup("require");
    const email = address("skip");
    const user = await gh.users.create(realm, { email, password });
    await gh.emailVerification.send(realm, user, { app: null, params: {} });
    const { secret } = await linkSentTo(email);
    await gh.users.update(realm, user.id, { must_change_password: true });
    const step = stepOf(await login(email));
    const confirmed = await gh.flows.confirmEmail(realm, secret, step.flowSecret, ctx);
    expect(confirmed.kind).toBe("confirmed");
    expect(await gh.flows.passwordStep(realm, step.flowSecret)).toMatchObject({ email });
  });
});
