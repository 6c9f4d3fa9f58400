import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import type { Session } from "@/lib/sessions";
import { testRealm, testServices } from "@/test/db";
import { eventsOf } from "@/test/mfa";

const ctx = { ip: "198.51.100.63", userAgent: "vitest" };
const password = "linked-accounts-password-5";
const MINUTE = 60_000;

let counter = 0;

async function provider(gh: Services, realm: Realm, slug: string, position = 0) {
  return gh.socialProviders.create(realm.id, {
    slug,
    kind: "oidc",
    displayName: slug === "gh" ? "GitHub" : `Provider ${slug}`,
    clientId: "client",
    clientSecret: "shh",
    scopes: [],
    config: { issuer: "https://issuer.example" },
    enabled: true,
    position,
  });
}

/** A user with identities at two providers, and a session (as a login of any kind creates one). */
async function setup(
  options: { password?: boolean; settings?: Record<string, unknown>; amr?: string[] } = {},
) {
  const clock = fixedClock("2026-11-29T12:00:10Z");
  const gh = await testServices({ clock });
  const { realm } = await testRealm(gh, options.settings);
  const email = `la-${Date.now().toString(36)}-${counter++}@example.com`;
  const user = await gh.users.create(realm, { email, ...(options.password === false ? {} : { password }) });
  const first = await provider(gh, realm, "gh", 0);
  const second = await provider(gh, realm, "oidc", 1);
  const profile = (subject: string) => ({
    subject,
    email: `${subject}@upstream.example`,
    emailVerified: true,
    firstName: null,
    lastName: null,
  });
  const a = await gh.identities.link(realm.id, user.id, first.id, profile("sub-a"));
  clock.advance(MINUTE);
  const b = await gh.identities.link(realm.id, user.id, second.id, profile("sub-b"));
  const { session } = await gh.sessions.create({
    realmId: realm.id,
    userId: user.id,
    amr: options.amr ?? ["social:gh"],
    minutes: 360,
    context: ctx,
    limit: { max: 10, policy: "evict_oldest" },
  });
  return { gh, clock, realm, user, email, session, a, b };
}

const unlink = (gh: Services, realm: Realm, session: Session, id: unknown) =>
  gh.account.unlinkIdentity(realm, session, id, ctx);

describe("the profile's linked accounts", () => {
  it("lists the user's identities in button order with what the provider gave, never the subject", async () => {
    const { gh, realm, user, a, b } = await setup();
    const list = await gh.account.linkedAccounts(realm.id, user.id);
    expect(list).toEqual([
      {
        id: a.id,
        providerSlug: "gh",
        providerName: "GitHub",
        email: "sub-a@upstream.example",
        linkedAt: a.createdAt,
        lastUsedAt: a.lastLoginAt,
      },
      expect.objectContaining({ id: b.id, providerSlug: "oidc", providerName: "Provider oidc" }),
    ]);
    expect(JSON.stringify(list)).not.toContain('sub-a"');
  });

  it("removes one (recent login, no password): event with the provider and how, the other stays", async () => {
    const { gh, realm, user, session, a, b } = await setup({ password: false });
    expect(await unlink(gh, realm, session, a.id)).toMatchObject({ id: a.id, providerSlug: "gh" });
    expect((await gh.account.linkedAccounts(realm.id, user.id)).map((i) => i.id)).toEqual([b.id]);
    expect(await eventsOf(gh, realm, "user.identity_unlinked")).toEqual([
      { userId: user.id, data: { provider: "gh", how: "profile" } },
    ]);
    // The last one is the only way in: refused, and it stays.
    await expect(unlink(gh, realm, session, b.id)).rejects.toMatchObject({
      code: "social.last_login_method",
      status: 409,
    });
    expect(await gh.identities.countForUser(realm.id, user.id)).toBe(1);
  });

  it("does not count an identity at a hidden provider as a way in", async () => {
    const { gh, realm, user, session, a, b } = await setup({ password: false });
    await gh.socialProviders.update(realm.id, a.providerId, { enabled: false });
    await expect(unlink(gh, realm, session, b.id)).rejects.toMatchObject({
      code: "social.last_login_method",
    });
    expect(await gh.identities.countForUser(realm.id, user.id)).toBe(2);
  });

  it("lets a user with a usable password remove their last identity, not in a social-only realm", async () => {
    const { gh, realm, user, session, a, b } = await setup({ amr: ["pwd"] });
    await unlink(gh, realm, session, a.id);
    await unlink(gh, realm, session, b.id);
    expect(await gh.identities.countForUser(realm.id, user.id)).toBe(0);

    const off = await setup({ settings: { password_login: false } });
    await unlink(off.gh, off.realm, off.session, off.a.id);
    await expect(unlink(off.gh, off.realm, off.session, off.b.id)).rejects.toMatchObject({
      code: "social.last_login_method",
    });
  });

  it("never lets two racing removals take away the last way in", async () => {
    const { gh, realm, user, session, a, b } = await setup({ password: false });
    const results = await Promise.allSettled([
      unlink(gh, realm, session, a.id),
      unlink(gh, realm, session, b.id),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({
      reason: expect.objectContaining({ code: "social.last_login_method" }),
    });
    expect(await gh.identities.countForUser(realm.id, user.id)).toBe(1);
  });

  it("refuses another user's identity, or garbage, as not found", async () => {
    const mine = await setup({ password: false });
    const other = await mine.gh.users.create(mine.realm, { email: `o-${counter++}@example.com`, password });
    const [p] = await mine.gh.socialProviders.list(mine.realm.id);
    const theirs = await mine.gh.identities.link(mine.realm.id, other.id, p?.id ?? "", {
      subject: "theirs",
      email: null,
      emailVerified: false,
      firstName: null,
      lastName: null,
    });
    for (const id of [theirs.id, "idn_nope", 42, "x".repeat(65)])
      await expect(unlink(mine.gh, mine.realm, mine.session, id)).rejects.toMatchObject({
        code: "social.identity_not_found",
      });
    expect(await mine.gh.identities.countForUser(mine.realm.id, other.id)).toBe(1);
  });
});

describe("recent authentication for removing a linked account", () => {
  it("without a usable password: the login that created the session counts for 15 minutes", async () => {
    const { gh, clock, realm, session, a } = await setup({ password: false });
    expect(await gh.account.recentAuthStatus(realm, session)).toEqual({
      method: "login",
      until: new Date(session.createdAt.getTime() + 15 * MINUTE),
    });
    clock.advance(15 * MINUTE);
    expect(await gh.account.recentAuthStatus(realm, session)).toEqual({ method: "login", until: null });
    await expect(unlink(gh, realm, session, a.id)).rejects.toMatchObject({
      code: "auth.reauth_login_required",
      status: 403,
    });
  });

  it("in a social-only realm, a user with a stored password also signs in again", async () => {
    const { gh, realm, session } = await setup({ settings: { password_login: false }, amr: ["social:gh"] });
    expect((await gh.account.recentAuthStatus(realm, session)).method).toBe("login");
  });

  it("with a usable password: a social login does not count, the password (as today) does", async () => {
    const { gh, realm, session, a } = await setup({ amr: ["social:gh"] });
    expect(await gh.account.recentAuthStatus(realm, session)).toEqual({ method: "password", until: null });
    await expect(unlink(gh, realm, session, a.id)).rejects.toMatchObject({ code: "auth.reauth_required" });
    await gh.account.confirmPassword(realm, session, { current_password: password }, ctx);
    const [fresh] = (await gh.sessions.listLive(realm.id, session.userId)).filter((s) => s.id === session.id);
    if (!fresh) throw new Error("session gone");
    await unlink(gh, realm, fresh, a.id);
  });

  it("a change of email without a usable password needs a recent sign-in instead of the password", async () => {
    const { gh, clock, realm, user, session } = await setup({ password: false });
    const via = { app: null, params: { return_to: "profile" } };
    const to = `new-${counter++}@example.com`;
    await gh.account.requestEmailChange(realm, session, { email: to }, ctx, via);
    expect(await gh.account.pendingEmailChange(realm, user.id)).toBe(to);
    clock.advance(16 * MINUTE);
    await expect(
      gh.account.requestEmailChange(realm, session, { email: `late-${to}` }, ctx, via),
    ).rejects.toMatchObject({ code: "auth.reauth_login_required" });
    expect(await gh.account.pendingEmailChange(realm, user.id)).toBe(to);
  });
});
