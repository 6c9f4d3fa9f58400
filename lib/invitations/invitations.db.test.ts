import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { hashSecret } from "@/lib/crypto/secrets";
import { tables } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { completed, TEST_PUBLIC_URL, testRealm, testServices } from "@/test/db";

const ctx = { ip: "192.0.2.44", userAgent: "vitest" };
const password = "violet-tractor-harbor-58";
const DAY = 24 * 60 * 60_000;

function secretOf(url: string): string {
  const secret = new URL(url).searchParams.get("invitation");
  if (!secret) throw new Error(`no invitation in ${url}`);
  return secret;
}

async function signupWith(gh: Services, realm: Realm, invitation: string, fields: Record<string, string>) {
  const entry = await gh.flows.entry(realm, {});
  return gh.flows.signup(realm, entry, { password, ...fields, invitation }, ctx).then(completed);
}

describe("invitations (database)", () => {
  it("creates an invitation whose link carries a 256-bit secret stored only as its SHA-256", async () => {
    const clock = fixedClock("2026-03-01T12:00:00Z");
    const gh = await testServices({ clock });
    const { realm, app } = await testRealm(gh, { signup_mode: "invitation" });
    const { invitation, url } = await gh.invitations.create(realm, {
      email: " Invitee@Example.COM ",
      client_id: app.id,
    });
    expect(invitation).toMatchObject({
      id: expect.stringMatching(/^inv_/),
      email: "invitee@example.com",
      status: "pending",
      usedAt: null,
      expiresAt: new Date("2026-03-08T12:00:00Z"), // 7 days by default
    });
    const link = new URL(url);
    expect(link.origin + link.pathname).toBe(`${TEST_PUBLIC_URL}/${realm.slug}/signup`);
    expect(link.searchParams.get("client_id")).toBe(app.id);
    const secret = secretOf(url);
    expect(Buffer.from(secret, "base64url")).toHaveLength(32);

    const [row] = await gh.db
      .select()
      .from(tables.invitations)
      .where(and(eq(tables.invitations.realmId, realm.id), eq(tables.invitations.id, invitation.id)));
    expect(row?.tokenHash).toBe(hashSecret(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(invitation)).not.toContain(row?.tokenHash);
  });

  it("refuses bad input with every failing field and creates nothing", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const error = await gh.invitations
      .create(realm, { email: "nope", expires_in_days: 31, client_id: "app_missing", extra: true })
      .catch((e) => e);
    expect(isAppError(error) && error.fields.map((f) => `${f.field}:${f.code}`).sort()).toEqual([
      "email:email.invalid",
      "expires_in_days:number.too_big",
      "extra:field.unknown",
    ]);
    await expect(gh.invitations.create(realm, { expires_in_days: 0 })).rejects.toMatchObject({
      fields: [{ field: "expires_in_days", code: "number.too_small" }],
    });
    await expect(gh.invitations.create(realm, { client_id: "app_missing" })).rejects.toMatchObject({
      code: "validation.failed",
      fields: [{ field: "client_id", code: "app.not_found" }],
    });
    expect((await gh.invitations.list(realm.id, { limit: 10 })).data).toHaveLength(0);
  });

  it("lists with status and pagination, and revokes (the link stops working at once)", async () => {
    const clock = fixedClock("2026-03-01T12:00:00Z");
    const gh = await testServices({ clock });
    const { realm } = await testRealm(gh, { signup_mode: "invitation" });
    const a = await gh.invitations.create(realm, { expires_in_days: 1 });
    const b = await gh.invitations.create(realm, { expires_in_days: 30 });
    const c = await gh.invitations.create(realm, {});
    await signupWith(gh, realm, secretOf(c.url), { email: "c@example.com" });
    clock.advance(2 * DAY);

    const first = await gh.invitations.list(realm.id, { limit: 2 });
    expect(first.has_more).toBe(true);
    const second = await gh.invitations.list(realm.id, { limit: 2, after: first.next_after ?? undefined });
    const all = [...first.data, ...second.data];
    expect(all.map((i) => [i.id, i.status])).toEqual([
      [a.invitation.id, "expired"],
      [b.invitation.id, "pending"],
      [c.invitation.id, "used"],
    ]);
    expect(all[2]?.usedBy).toMatch(/^usr_/);

    await gh.invitations.revoke(realm.id, b.invitation.id);
    await expect(signupWith(gh, realm, secretOf(b.url), { email: "b@example.com" })).rejects.toMatchObject({
      code: "signup.invitation_invalid",
    });
    await expect(gh.invitations.revoke(realm.id, b.invitation.id)).rejects.toMatchObject({
      code: "invitation.not_found",
      status: 404,
    });
  });

  it("another realm can neither see, revoke nor use an invitation", async () => {
    const gh = await testServices();
    const mine = await testRealm(gh, { signup_mode: "invitation" });
    const other = await testRealm(gh, { signup_mode: "invitation" });
    const { invitation, url } = await gh.invitations.create(mine.realm, {});
    expect((await gh.invitations.list(other.realm.id, { limit: 10 })).data).toEqual([]);
    await expect(gh.invitations.revoke(other.realm.id, invitation.id)).rejects.toMatchObject({
      code: "invitation.not_found",
    });
    await expect(
      signupWith(gh, other.realm, secretOf(url), { email: "x@example.com" }),
    ).rejects.toMatchObject({ code: "signup.invitation_invalid" });
    expect((await gh.invitations.list(mine.realm.id, { limit: 10 })).data[0]?.status).toBe("pending");
  });

  it("signs up through an invitation once; the second use is refused", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { signup_mode: "invitation" });
    const { url } = await gh.invitations.create(realm, {});
    const done = await signupWith(gh, realm, secretOf(url), { email: "first@example.com" });
    expect(new URL(done.redirectUrl).searchParams.get("signup")).toBe("true");
    const [used] = (await gh.invitations.list(realm.id, { limit: 10 })).data;
    expect(used).toMatchObject({ status: "used", usedBy: done.session.userId });
    await expect(signupWith(gh, realm, secretOf(url), { email: "second@example.com" })).rejects.toMatchObject(
      { code: "signup.invitation_invalid" },
    );
    expect((await gh.users.list(realm.id, { limit: 10 })).data.map((u) => u.email)).toEqual([
      "first@example.com",
    ]);
  });

  it("of N concurrent signups with one invitation exactly one succeeds; the rest create nothing", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { signup_mode: "invitation" });
    const { url } = await gh.invitations.create(realm, {});
    const secret = secretOf(url);
    const settled = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => signupWith(gh, realm, secret, { email: `racer${i}@example.com` })),
    );
    const won = settled.filter((s) => s.status === "fulfilled");
    const lost = settled.flatMap((s) => (s.status === "rejected" ? [s.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(7);
    for (const reason of lost) {
      expect(isAppError(reason) ? reason.code : reason).toBe("signup.invitation_invalid");
    }
    const users = (await gh.users.list(realm.id, { limit: 20 })).data;
    expect(users).toHaveLength(1);
    const [invitation] = (await gh.invitations.list(realm.id, { limit: 10 })).data;
    expect(invitation?.usedBy).toBe(users[0]?.id);
  });

  it("an expired invitation is refused, on the page and at signup", async () => {
    const clock = fixedClock("2026-03-01T12:00:00Z");
    const gh = await testServices({ clock });
    const { realm } = await testRealm(gh, { signup_mode: "invitation" });
    const { url } = await gh.invitations.create(realm, { expires_in_days: 1 });
    clock.advance(DAY - 1000);
    expect(await gh.flows.signupAccess(realm, secretOf(url))).toMatchObject({ status: "pending" });
    clock.advance(1000);
    await expect(gh.flows.signupAccess(realm, secretOf(url))).rejects.toMatchObject({
      code: "signup.invitation_invalid",
    });
    await expect(signupWith(gh, realm, secretOf(url), { email: "late@example.com" })).rejects.toMatchObject({
      code: "signup.invitation_invalid",
    });
    expect((await gh.users.list(realm.id, { limit: 10 })).data).toHaveLength(0);
  });

  it("an invitation for an address admits that address only (server-side), in any case", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { signup_mode: "invitation" });
    const { url } = await gh.invitations.create(realm, { email: "bound@example.com" });
    expect(await gh.flows.signupAccess(realm, secretOf(url))).toMatchObject({ email: "bound@example.com" });
    await expect(
      signupWith(gh, realm, secretOf(url), { email: "someone.else@example.com" }),
    ).rejects.toMatchObject({
      code: "validation.failed",
      fields: [{ field: "email", code: "invitation.email_mismatch" }],
    });
    // The refused attempt did not spend the invitation.
    const done = await signupWith(gh, realm, secretOf(url), { email: "BOUND@example.com" });
    expect((await gh.users.get(realm.id, done.session.userId)).email).toBe("bound@example.com");
  });

  it("an invitation naming an address overrides the domain lists; an open one does not", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, {
      signup_mode: "invitation",
      signup_email_domains_allow: ["acme.com"],
    });
    const named = await gh.invitations.create(realm, { email: "partner@contractor.example" });
    await signupWith(gh, realm, secretOf(named.url), { email: "partner@contractor.example" });
    const open = await gh.invitations.create(realm, {});
    await expect(
      signupWith(gh, realm, secretOf(open.url), { email: "anyone@contractor.example" }),
    ).rejects.toMatchObject({ fields: [{ field: "email", code: "email.domain_not_allowed" }] });
    await signupWith(gh, realm, secretOf(open.url), { email: "staff@acme.com" });
    expect((await gh.users.list(realm.id, { limit: 10 })).data).toHaveLength(2);
  });

  it("a failed signup (address taken) leaves the invitation unused", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { signup_mode: "invitation" });
    await gh.users.create(realm, { email: "taken@example.com" });
    const { url } = await gh.invitations.create(realm, {});
    await expect(signupWith(gh, realm, secretOf(url), { email: "taken@example.com" })).rejects.toMatchObject({
      code: "user.email_taken",
    });
    expect((await gh.invitations.list(realm.id, { limit: 10 })).data[0]).toMatchObject({
      status: "pending",
      usedAt: null,
    });
    await signupWith(gh, realm, secretOf(url), { email: "fresh@example.com" });
  });

  it("an open realm honours an invitation link too (and spends it)", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const { url } = await gh.invitations.create(realm, { email: "vip@example.com" });
    await expect(signupWith(gh, realm, secretOf(url), { email: "other@example.com" })).rejects.toMatchObject({
      fields: [{ field: "email", code: "invitation.email_mismatch" }],
    });
    await signupWith(gh, realm, secretOf(url), { email: "vip@example.com" });
    expect((await gh.invitations.list(realm.id, { limit: 10 })).data[0]?.status).toBe("used");
  });
});
