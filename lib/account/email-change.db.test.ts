import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { createDelivery, type Delivery } from "@/lib/email/delivery";
import { createSmtpTransport } from "@/lib/email/transport";
import { NO_ENTRY } from "@/lib/email-verification";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { completed, testRealm, testServices } from "@/test/db";
import { type SmtpCatcher, startSmtpCatcher } from "@/test/smtp-catcher.mjs";

const ctx = { ip: "198.51.100.23", userAgent: "vitest" };
const password = "the-current-password-9";

let smtp: SmtpCatcher;
let delivery: Delivery;
beforeAll(async () => {
  smtp = await startSmtpCatcher();
  const gh = await testServices();
  delivery = createDelivery({
    outbox: gh.outbox,
    transport: await createSmtpTransport(smtp.url),
    worker: "change-tests",
    log: () => {},
  });
});
afterAll(async () => {
  await delivery.stop();
  await smtp.close();
});

let counter = 0;
const address = (name: string) => `${name}-${Date.now().toString(36)}-${counter++}@example.com`;

/** A user of a fresh realm, logged in: their session is the profile's. */
async function signedIn(settings: Record<string, unknown> = {}) {
  const gh = await testServices();
  const { realm } = await testRealm(gh, settings);
  const email = address("old");
  const user = await gh.users.create(realm, { email, password, email_verified: true });
  const entry = await gh.flows.entry(realm, {});
  const { session } = completed(await gh.flows.loginWithPassword(realm, entry, { email, password }, ctx));
  const request = (input: Record<string, string>) =>
    gh.account.requestEmailChange(realm, session, input, ctx, {
      app: null,
      params: { return_to: "profile" },
    });
  return { gh, realm, user, session, email, entry, request };
}

/** Delivers what is queued over real SMTP; the secret of the newest change link sent to `to`. */
async function changeLinkTo(to: string): Promise<string> {
  await delivery.runOnce();
  const mails = smtp.find({ to });
  const link = mails.at(-1)?.links.find((l) => l.includes("/verify-email?token="));
  if (!link) throw new Error(`no link sent to ${to}`);
  return new URL(link).searchParams.get("token") ?? "";
}

async function eventsOf(gh: Services, realm: Realm, type: string) {
  return gh.db
    .select()
    .from(tables.events)
    .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.type, type)));
}

const fieldsOf = (error: unknown) =>
  ((error as { fields?: Array<{ field: string; code: string }> }).fields ?? []).map(
    (f) => `${f.field}:${f.code}`,
  );

describe("change of email from the profile", () => {
  it("checks the form, then the current password, and only then whether the address is taken", async () => {
    const { gh, realm, email, request } = await signedIn({ signup_email_domains_deny: ["blocked.example"] });
    const taken = address("taken");
    await gh.users.create(realm, { email: taken, password });

    const errors = async (input: Record<string, string>) => fieldsOf(await request(input).catch((e) => e));
    expect(await errors({ email: "not-an-address", current_password: "" })).toEqual([
      "email:email.invalid",
      "current_password:field.required",
    ]);
    expect(await errors({ email: email.toUpperCase(), current_password: password })).toEqual([
      "email:email.unchanged",
    ]);
    expect(await errors({ email: "someone@blocked.example", current_password: password })).toEqual([
      "email:email.domain_not_allowed",
    ]);
    // A wrong password hides whether the address is taken.
    expect(await errors({ email: taken, current_password: "not-the-password" })).toEqual([
      "current_password:password.current_invalid",
    ]);
    await expect(request({ email: taken, current_password: password })).rejects.toMatchObject({
      code: "user.email_taken",
      fields: [{ field: "email", code: "user.email_taken" }],
    });
    expect(await eventsOf(gh, realm, "user.email_change_requested")).toHaveLength(0);
  });

  it("guessing the current password here is throttled like a login", async () => {
    const { request } = await signedIn({ login_delay_after_failures: 2 });
    const to = address("new");
    for (let i = 0; i < 2; i++)
      await expect(request({ email: to, current_password: `guess-${i}` })).rejects.toMatchObject({
        fields: [{ code: "password.current_invalid" }],
      });
    // Delayed now: even the right password gets the same answer.
    await expect(request({ email: to, current_password: password })).rejects.toMatchObject({
      fields: [{ code: "password.current_invalid" }],
    });
  });

  it("mails the new address, changes nothing until the link is followed, then moves the account and tells the old address", async () => {
    const { gh, realm, user, email, entry, request } = await signedIn();
    const to = address("new");
    await request({ email: to, current_password: password });
    expect(await gh.account.pendingEmailChange(realm, user.id)).toBe(to);
    expect((await gh.users.get(realm.id, user.id)).email).toBe(email);
    const [requested] = await eventsOf(gh, realm, "user.email_change_requested");
    expect(requested).toMatchObject({ data: { new_email: to, email_sent: true } });

    // Outstanding links of the user, which the change must void.
    const reset = await gh.emailTokens.issue({
      realmId: realm.id,
      userId: user.id,
      purpose: "password_reset",
      email,
    });
    const secret = await changeLinkTo(to);
    expect(smtp.find({ to }).at(-1)?.subject).toBe(`Confirm your new email address for ${realm.name}`);
    expect(await gh.account.peekEmailChange(realm, secret)).toMatchObject({ token: { email: to } });

    const { user: moved, entry: carried } = await gh.account.confirmEmailChange(realm, secret, ctx);
    expect(moved).toMatchObject({ id: user.id, email: to, emailVerified: true });
    expect(carried).toEqual({ return_to: "profile" });
    expect(await gh.emailTokens.peek(realm.id, "password_reset", reset.secret)).toBeNull();
    expect(await gh.account.pendingEmailChange(realm, user.id)).toBeNull();

    await delivery.runOnce();
    const notice = await smtp.waitFor({ to: email, subject: /was changed/ });
    expect(notice.text).toContain(`from ${email} to ${to}`);
    const [changed] = await eventsOf(gh, realm, "user.email_changed");
    expect(changed).toMatchObject({
      userId: user.id,
      data: { old_email: email, new_email: to, via: "link" },
    });

    // The new address logs in; the old one no longer does.
    await expect(
      gh.flows.loginWithPassword(realm, entry, { email: to, password }, ctx).then(completed),
    ).resolves.toBeTruthy();
    await expect(gh.flows.loginWithPassword(realm, entry, { email, password }, ctx)).rejects.toMatchObject({
      code: "auth.invalid_credentials",
    });
    // The link works once.
    await expect(gh.account.confirmEmailChange(realm, secret, ctx)).rejects.toMatchObject({
      code: "email.link_invalid",
    });
  });

  it("a pending change can be cancelled: its link stops working", async () => {
    const { gh, realm, user, email, request } = await signedIn();
    const to = address("cancel");
    await request({ email: to, current_password: password });
    const secret = await changeLinkTo(to);
    await gh.account.cancelEmailChange(realm, user.id);
    expect(await gh.account.pendingEmailChange(realm, user.id)).toBeNull();
    await expect(gh.account.confirmEmailChange(realm, secret, ctx)).rejects.toMatchObject({
      code: "email.link_invalid",
    });
    expect((await gh.users.get(realm.id, user.id)).email).toBe(email);
  });

  it("a password change (a reset by the owner, say) voids a pending change: its link stops working", async () => {
    const { gh, realm, user, email, request } = await signedIn();
    const to = address("hijack");
    await request({ email: to, current_password: password });
    const secret = await changeLinkTo(to);
    await gh.users.setPassword(realm, user.id, "a-brand-new-password-77");
    await expect(gh.account.confirmEmailChange(realm, secret, ctx)).rejects.toMatchObject({
      code: "email.link_invalid",
    });
    expect((await gh.users.get(realm.id, user.id)).email).toBe(email);
  });

  it("an address taken in between (a signup got it first): a clear error, nothing changes, the link stays usable", async () => {
    const { gh, realm, user, email, request } = await signedIn();
    const to = address("between");
    await request({ email: to, current_password: password });
    const secret = await changeLinkTo(to);
    await gh.users.create(realm, { email: to, password });
    await expect(gh.account.confirmEmailChange(realm, secret, ctx)).rejects.toMatchObject({
      code: "user.email_taken",
      status: 409,
    });
    expect((await gh.users.get(realm.id, user.id)).email).toBe(email);
    expect(await gh.account.peekEmailChange(realm, secret)).not.toBeNull();
    expect(await eventsOf(gh, realm, "user.email_changed")).toHaveLength(0);
    // The unique index has the last word, whatever a check before it saw.
    await expect(gh.users.changeEmail(realm.id, user.id, to)).rejects.toMatchObject({
      code: "user.email_taken",
    });
  });

  it("an address taken in between: of two accounts racing for it exactly one gets it; the other changes nothing", async () => {
    const a = await signedIn();
    const { gh, realm } = a;
    const bEmail = address("b");
    const b = await gh.users.create(realm, { email: bEmail, password });
    const entry = await gh.flows.entry(realm, {});
    const bSession = completed(
      await gh.flows.loginWithPassword(realm, entry, { email: bEmail, password }, ctx),
    ).session;
    const wanted = address("wanted");
    await a.request({ email: wanted, current_password: password });
    const aSecret = await changeLinkTo(wanted);
    await gh.account.requestEmailChange(
      realm,
      bSession,
      { email: wanted, current_password: password },
      ctx,
      NO_ENTRY,
    );
    const bSecret = await changeLinkTo(wanted);

    const results = await Promise.allSettled([
      gh.account.confirmEmailChange(realm, aSecret, ctx),
      gh.account.confirmEmailChange(realm, bSecret, ctx),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    // A clear answer for the page (no field there), never a 500.
    expect(lost.reason).toMatchObject({ code: "user.email_taken", fields: [] });
    const emails = [
      (await gh.users.get(realm.id, a.user.id)).email,
      (await gh.users.get(realm.id, b.id)).email,
    ];
    // One moved; the other kept its own address.
    expect(emails.filter((e) => e === wanted)).toHaveLength(1);
    expect(emails.includes(a.email) || emails.includes(bEmail)).toBe(true);
  });

  it("the new address's hourly budget caps the links sent there; the answer stays the same", async () => {
    const { gh, realm, request } = await signedIn({ email_per_recipient_per_hour: 2 });
    const to = address("spam");
    for (let i = 0; i < 4; i++) await request({ email: to, current_password: password });
    const queued = await gh.db
      .select()
      .from(tables.emailOutbox)
      .where(and(eq(tables.emailOutbox.realmId, realm.id), eq(tables.emailOutbox.toAddress, to)));
    expect(queued).toHaveLength(2);
    const sent = (await eventsOf(gh, realm, "user.email_change_requested")).map((e) => e.data.email_sent);
    expect(sent).toEqual([true, true, false, false]);
  });

  it("change requests never spend the named address's reset budget, and one account cannot mail many addresses", async () => {
    const { gh, realm, request } = await signedIn({ email_per_recipient_per_hour: 2 });
    const victim = address("victim");
    for (let i = 0; i < 3; i++) await request({ email: victim, current_password: password });
    expect(await gh.throttle.recipientAllowed(realm, victim)).toBe(true);
    // The account's own budget is spent too: a fresh address gets nothing this hour.
    const other = address("other");
    await request({ email: other, current_password: password });
    const queued = await gh.db
      .select()
      .from(tables.emailOutbox)
      .where(and(eq(tables.emailOutbox.realmId, realm.id), eq(tables.emailOutbox.toAddress, other)));
    expect(queued).toHaveLength(0);
  });
});
