import { and, eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { type Clock, fixedClock } from "@/lib/clock";
import { hashSecret } from "@/lib/crypto/secrets";
import { tables } from "@/lib/db";
import { createDelivery } from "@/lib/email/delivery";
import { createSmtpTransport } from "@/lib/email/transport";
import { isAppError } from "@/lib/errors";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { completed, TEST_PUBLIC_URL, testRealm, testServices } from "@/test/db";
import { startSmtpCatcher } from "@/test/smtp-catcher.mjs";

const ctx = { ip: "203.0.113.7", userAgent: "vitest" };
const OLD = "the-old-password-of-mine";
const NEW = "violet-otter-harbour-42";
const MINUTE = 60_000;

async function setup(settings: Record<string, unknown> = {}, clock?: Clock) {
  const gh = await testServices(clock ? { clock } : {});
  const { realm, app } = await testRealm(gh, settings);
  const email = `ada-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const user = await gh.users.create(realm, { email, password: OLD });
  const entry = await gh.flows.entry(realm, { state: "st-1", redir: "/after" });
  /** Asks for a link and runs the deferred part, as the page does after answering. */
  const forgot = async (address = email, context = ctx) => {
    const request = await gh.flows.requestPasswordReset(realm, entry, { email: address }, context);
    await request.deliver();
    return request;
  };
  return { gh, realm, app, user, email, entry, forgot };
}

async function mails(gh: Services, realm: Realm, to: string) {
  return gh.outbox.latest({ realmId: realm.id, to });
}

/** The secret of the newest reset link mailed to `to` (read from the email, as a person would). */
async function secretMailedTo(gh: Services, realm: Realm, to: string): Promise<string> {
  const [mail] = await mails(gh, realm, to);
  const link = mail?.text.match(/https?:\/\/\S+\/reset\?token=[\w-]+/)?.[0];
  if (!link) throw new Error(`no reset link mailed to ${to}`);
  return new URL(link).searchParams.get("token") ?? "";
}

async function events(gh: Services, realm: Realm, type: string) {
  const rows = await gh.db
    .select()
    .from(tables.events)
    .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.type, type)));
  return rows.map((r) => ({ userId: r.userId, data: r.data }));
}

async function sessionIds(gh: Services, realm: Realm, userId: string) {
  const rows = await gh.db
    .select({ id: tables.sessions.id })
    .from(tables.sessions)
    .where(and(eq(tables.sessions.realmId, realm.id), eq(tables.sessions.userId, userId)));
  return rows.map((r) => r.id);
}

const codeOf = (error: unknown) => (isAppError(error) ? error.code : error);

describe("forgot password: one answer whether or not the account exists", () => {
  it("known, unknown, inactive and password-less addresses are answered alike; only active accounts get a link", async () => {
    const { gh, realm, email, forgot } = await setup();
    const inactive = await gh.users.create(realm, { email: "gone@example.com", password: OLD });
    await gh.users.update(realm, inactive.id, { state: "inactive" });
    const invited = await gh.users.create(realm, { email: "nopass@example.com" });

    const answers = [];
    for (const address of [email, "nobody@example.com", "gone@example.com", "nopass@example.com"]) {
      const { deliver, ...rest } = await forgot(address);
      answers.push({ ...rest, deliver: typeof deliver });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);

    expect(await mails(gh, realm, email)).toHaveLength(1);
    expect(await mails(gh, realm, "nopass@example.com")).toHaveLength(1);
    expect(await mails(gh, realm, "nobody@example.com")).toHaveLength(0);
    expect(await mails(gh, realm, "gone@example.com")).toHaveLength(0);
    expect(await events(gh, realm, "user.password_reset_requested")).toEqual(
      expect.arrayContaining([
        { userId: expect.any(String), data: { sent: true, had_password: true } },
        { userId: null, data: { sent: false, reason: "unknown_user" } },
        { userId: inactive.id, data: { sent: false, reason: "inactive" } },
        { userId: invited.id, data: { sent: true, had_password: false } },
      ]),
    );
  });

  it("the answer does not wait on the account: nothing is looked up or sent before `deliver`", async () => {
    const { gh, realm, entry, email } = await setup();
    const request = await gh.flows.requestPasswordReset(realm, entry, { email }, ctx);
    expect(await mails(gh, realm, email)).toHaveLength(0);
    expect(await events(gh, realm, "user.password_reset_requested")).toHaveLength(0);
    await request.deliver();
    expect(await mails(gh, realm, email)).toHaveLength(1);
  });

  it("a bare /forgot in a realm with several apps leads to the profile; a bad entry is refused as on /login", async () => {
    const { gh, realm } = await setup();
    await gh.apps.create(realm.id, { name: "Second", redirect_uris: ["https://two.example/cb"] });
    expect(await gh.flows.resetEntry(realm, {})).toMatchObject({ returnTo: "profile", app: null });
    await expect(
      gh.flows.resetEntry(realm, { redirect_uri: "https://two.example/cb" }),
    ).rejects.toMatchObject({
      code: "app.ambiguous",
    });
    await expect(gh.flows.resetEntry(realm, { client_id: "app_nope" })).rejects.toMatchObject({
      code: "app.not_found",
    });
  });

  it("a malformed address is a field error, and says nothing about any account", async () => {
    const { gh, realm, entry } = await setup();
    await expect(
      gh.flows.requestPasswordReset(realm, entry, { email: "not-an-email" }, ctx),
    ).rejects.toMatchObject({
      code: "validation.failed",
      fields: [{ field: "email", code: "email.invalid" }],
    });
  });

  it("with the anti-robot check on, a request without a solution is refused before anything else", async () => {
    const { gh, realm, entry, email } = await setup({ signup_altcha: true });
    await expect(gh.flows.requestPasswordReset(realm, entry, { email }, ctx)).rejects.toMatchObject({
      code: "validation.failed",
      fields: [{ field: "altcha", code: "challenge.failed" }],
    });
  });
});

describe("forgot password: rate limits", () => {
  it("per IP address (reset_ip_per_hour): then 429 rate.limited for any address, recorded as ip_limited", async () => {
    const clock = fixedClock("2026-04-01T08:00:00Z");
    const { gh, realm, email, forgot } = await setup({ reset_ip_per_hour: 2 }, clock);
    await forgot();
    await forgot("nobody@example.com");
    for (const address of [email, "nobody@example.com"]) {
      const refused = await forgot(address).catch(codeOf);
      expect(refused).toBe("rate.limited");
    }
    // Another address is not affected; the first one may ask again an hour later.
    await forgot(email, { ip: "198.51.100.4", userAgent: "vitest" });
    clock.advance(60 * MINUTE);
    await forgot();
    expect(
      (await events(gh, realm, "user.password_reset_requested")).filter(
        (e) => e.data.reason === "ip_limited",
      ),
    ).toEqual([
      { userId: null, data: { sent: false, reason: "ip_limited" } },
      { userId: null, data: { sent: false, reason: "ip_limited" } },
    ]);
  });

  it("per recipient (email_per_recipient_per_hour): the same answer, but no more emails that hour", async () => {
    const clock = fixedClock("2026-04-01T08:00:00Z");
    const { gh, realm, user, email, forgot } = await setup({ email_per_recipient_per_hour: 2 }, clock);
    for (let i = 0; i < 4; i++) await forgot(email, { ip: `198.51.100.${i}`, userAgent: "vitest" });
    expect(await mails(gh, realm, email)).toHaveLength(2);
    expect((await events(gh, realm, "user.password_reset_requested")).filter((e) => e.data.reason)).toEqual([
      { userId: user.id, data: { sent: false, reason: "recipient_limited" } },
      { userId: user.id, data: { sent: false, reason: "recipient_limited" } },
    ]);
    clock.advance(60 * MINUTE);
    await forgot();
    expect(await mails(gh, realm, email)).toHaveLength(3);
  });
});

describe("the reset link", () => {
  it("is built from the realm's configured URL, carries only a ≥128-bit secret, and only its hash is stored", async () => {
    const { gh, realm, app, user, email, forgot } = await setup();
    await forgot();
    const [mail] = await mails(gh, realm, email);
    const link = mail?.text.match(/https?:\/\/\S+\/reset\?\S+/)?.[0] ?? "";
    const url = new URL(link);
    expect(`${url.origin}${url.pathname}`).toBe(`${TEST_PUBLIC_URL}/${realm.slug}/reset`);
    expect(link.startsWith(`${gh.realmUrl(realm)}/reset?token=`)).toBe(true);
    expect([...url.searchParams.keys()]).toEqual(["token"]);
    const secret = url.searchParams.get("token") ?? "";
    expect(Buffer.from(secret, "base64url").length * 8).toBeGreaterThanOrEqual(128);
    expect(mail?.html).toContain(link.replace(/&/g, "&amp;"));
    expect(mail?.text).toContain("60 minutes");

    const rows = await gh.db
      .select()
      .from(tables.emailTokens)
      .where(and(eq(tables.emailTokens.realmId, realm.id), eq(tables.emailTokens.userId, user.id)));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toBe(hashSecret(secret));
    expect(JSON.stringify(rows)).not.toContain(secret);
    // The entry travels in the row, not in the link.
    expect(rows[0]?.data).toEqual({
      entry: {
        client_id: app.id,
        redirect_uri: "https://app.example/callback",
        state: "st-1",
        redir: "/after",
      },
    });
  });

  it("forgot → email over real SMTP → new password → back at the app with a token; the address counts as verified", async () => {
    const smtp = await startSmtpCatcher();
    try {
      const { gh, realm, app, user, email, forgot } = await setup();
      expect(user.emailVerified).toBe(false);
      await forgot();
      const delivery = createDelivery({ outbox: gh.outbox, transport: await createSmtpTransport(smtp.url) });
      await delivery.runOnce();
      await delivery.stop();
      const got = await smtp.waitFor({ to: email, subject: `Reset your ${realm.name} password` });
      expect(got.text).toContain("Test App");
      const link = got.links.find((l) => l.includes("/reset?token="));
      const secret = new URL(link ?? "http://x/").searchParams.get("token");

      expect(await gh.flows.passwordResetLink(realm, secret)).toEqual({ email });
      const done = completed(await gh.flows.resetPassword(realm, secret, { password: NEW }, ctx));
      const url = new URL(done.redirectUrl);
      expect(`${url.origin}${url.pathname}`).toBe("https://app.example/callback");
      expect(url.searchParams.get("state")).toBe("st-1");
      expect(url.searchParams.get("redir")).toBe("/after");
      expect(decodeJwt(url.searchParams.get("token") ?? "")).toMatchObject({
        sub: user.id,
        aud: app.id,
        email,
        email_verified: true,
        amr: ["pwd"],
      });
      expect((await gh.users.get(realm.id, user.id)).emailVerified).toBe(true);
      expect(await events(gh, realm, "user.password_reset")).toEqual([
        {
          userId: user.id,
          data: { had_password: true, email_verified: true, sessions_ended: 0 },
        },
      ]);
      // The old password is gone, the new one works.
      const entry = await gh.flows.entry(realm, {});
      const login = (password: string) => gh.flows.loginWithPassword(realm, entry, { email, password }, ctx);
      await expect(login(OLD)).rejects.toMatchObject({ code: "auth.invalid_credentials" });
      expect((await login(NEW)).kind).toBe("done");
    } finally {
      await smtp.close();
    }
  });

  it("of 20 concurrent redemptions exactly one changes the password and logs in", async () => {
    const { gh, realm, user, email, forgot } = await setup();
    await forgot();
    const secret = await secretMailedTo(gh, realm, email);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        gh.flows.resetPassword(realm, secret, { password: `${NEW}-${i}` }, ctx),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    expect(
      results.filter((r) => r.status === "rejected").map((r) => codeOf((r as PromiseRejectedResult).reason)),
    ).toEqual(Array(19).fill("reset.link_invalid"));
    expect(await sessionIds(gh, realm, user.id)).toHaveLength(1);
    expect(await events(gh, realm, "user.password_reset")).toHaveLength(1);
  });

  it("works for 60 minutes: valid a moment before, refused at 60 minutes", async () => {
    const clock = fixedClock("2026-04-01T08:00:00Z");
    const { gh, realm, email, forgot } = await setup({}, clock);
    await forgot();
    const secret = await secretMailedTo(gh, realm, email);
    clock.advance(60 * MINUTE - 1000);
    expect(await gh.flows.passwordResetLink(realm, secret)).toEqual({ email });
    clock.advance(1000);
    expect(await gh.flows.passwordResetLink(realm, secret)).toBeNull();
    await expect(gh.flows.resetPassword(realm, secret, { password: NEW }, ctx)).rejects.toMatchObject({
      code: "reset.link_invalid",
    });
  });

  it("is void after the password changed another way (the profile), and after a newer link", async () => {
    const { gh, realm, email, entry, forgot } = await setup();
    await forgot();
    const first = await secretMailedTo(gh, realm, email);
    await forgot();
    const second = await secretMailedTo(gh, realm, email);
    expect(second).not.toBe(first);
    expect(await gh.flows.passwordResetLink(realm, first)).toBeNull();

    const login = completed(await gh.flows.loginWithPassword(realm, entry, { email, password: OLD }, ctx));
    await gh.account.changePassword(realm, login.session, { current_password: OLD, password: NEW }, ctx);
    expect(await gh.flows.passwordResetLink(realm, second)).toBeNull();
    await expect(
      gh.flows.resetPassword(realm, second, { password: "another-fine-passphrase" }, ctx),
    ).rejects.toMatchObject({ code: "reset.link_invalid" });
  });

  it("ends every session of the user, the browser's own included, and opens one new session", async () => {
    const { gh, realm, user, email, entry, forgot } = await setup();
    const a = completed(await gh.flows.loginWithPassword(realm, entry, { email, password: OLD }, ctx));
    const b = completed(await gh.flows.loginWithPassword(realm, entry, { email, password: OLD }, ctx));
    await forgot();
    const secret = await secretMailedTo(gh, realm, email);
    const done = completed(
      await gh.flows.resetPassword(realm, secret, { password: NEW }, ctx, a.sessionSecret),
    );
    expect(await gh.sessions.findLive(realm.id, a.sessionSecret)).toBeNull();
    expect(await gh.sessions.findLive(realm.id, b.sessionSecret)).toBeNull();
    expect(await sessionIds(gh, realm, user.id)).toEqual([done.session.id]);
    const ended = await events(gh, realm, "session.ended");
    expect(ended).toHaveLength(2);
    expect(ended[0]?.data).toEqual({ via: "reset", reason: "password_reset" });
  });

  it("a password the policy refuses leaves the link usable; a good one then works", async () => {
    const { gh, realm, email, forgot } = await setup({ password_history: 2 });
    await forgot();
    const secret = await secretMailedTo(gh, realm, email);
    await expect(gh.flows.resetPassword(realm, secret, { password: "short" }, ctx)).rejects.toMatchObject({
      code: "validation.failed",
      fields: expect.arrayContaining([
        expect.objectContaining({ field: "password", code: "password.too_short" }),
      ]),
    });
    await expect(gh.flows.resetPassword(realm, secret, { password: "password1" }, ctx)).rejects.toMatchObject(
      { code: "validation.failed" },
    );
    // The current password counts as reused.
    await expect(gh.flows.resetPassword(realm, secret, { password: OLD }, ctx)).rejects.toMatchObject({
      fields: expect.arrayContaining([expect.objectContaining({ code: "password.reused" })]),
    });
    expect(await gh.flows.passwordResetLink(realm, secret)).toEqual({ email });
    expect((await gh.flows.resetPassword(realm, secret, { password: NEW }, ctx)).kind).toBe("done");
  });

  it("is refused in another realm, for a user turned inactive, and when it is not a secret at all", async () => {
    const { gh, realm, user, email, forgot } = await setup();
    const other = await testRealm(gh);
    await forgot();
    const secret = await secretMailedTo(gh, realm, email);
    expect(await gh.flows.passwordResetLink(other.realm, secret)).toBeNull();
    for (const junk of [undefined, "", "x", "a".repeat(10_000), 42])
      expect(await gh.flows.passwordResetLink(realm, junk)).toBeNull();
    await gh.users.update(realm, user.id, { state: "inactive" });
    await expect(gh.flows.resetPassword(realm, secret, { password: NEW }, ctx)).rejects.toMatchObject({
      code: "reset.link_invalid",
    });
  });

  it("lets a user without a password set one, and clears the account's failed-login delay", async () => {
    const { gh, realm, entry } = await setup({ login_delay_after_failures: 1 });
    const invited = await gh.users.create(realm, { email: "first@example.com" });
    await expect(
      gh.flows.loginWithPassword(realm, entry, { email: "first@example.com", password: "guess-one" }, ctx),
    ).rejects.toMatchObject({ code: "auth.invalid_credentials" });
    expect((await gh.throttle.accountState(realm.id, invited.id)).locked).toBe(true);

    const request = await gh.flows.requestPasswordReset(realm, entry, { email: "first@example.com" }, ctx);
    await request.deliver();
    const secret = await secretMailedTo(gh, realm, "first@example.com");
    expect((await gh.flows.resetPassword(realm, secret, { password: NEW }, ctx)).kind).toBe("done");
    expect((await gh.throttle.accountState(realm.id, invited.id)).locked).toBe(false);
    expect(await events(gh, realm, "user.password_reset")).toEqual([
      { userId: invited.id, data: { had_password: false, email_verified: true, sessions_ended: 0 } },
    ]);
  });

  it("returns to the profile (no token) when the request came from it, or when its app is gone", async () => {
    const { gh, realm, app, email } = await setup();
    const fromProfile = await gh.flows.entry(realm, { return_to: "profile" });
    await (await gh.flows.requestPasswordReset(realm, fromProfile, { email }, ctx)).deliver();
    let secret = await secretMailedTo(gh, realm, email);
    let done = completed(await gh.flows.resetPassword(realm, secret, { password: NEW }, ctx));
    expect(done.redirectUrl).toBe(`${gh.realmUrl(realm)}/profile`);

    const fromApp = await gh.flows.entry(realm, {});
    await (await gh.flows.requestPasswordReset(realm, fromApp, { email }, ctx)).deliver();
    secret = await secretMailedTo(gh, realm, email);
    await gh.db
      .update(tables.apps)
      .set({ redirectUris: ["https://moved.example/callback"] })
      .where(and(eq(tables.apps.realmId, realm.id), eq(tables.apps.id, app.id)));
    done = completed(
      await gh.flows.resetPassword(realm, secret, { password: "yet-another-passphrase" }, ctx),
    );
    expect(done.redirectUrl).toBe(`${gh.realmUrl(realm)}/profile`);
  });
});
