import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import type { Services } from "@/lib/services";
import { testRealm, testServices } from "@/test/db";

const ctx = { ip: "198.51.100.23", userAgent: "vitest" };
const password = "violet-tractor-harbor-58";

async function rejections(gh: Services, realmId: string) {
  const rows = await gh.db
    .select()
    .from(tables.events)
    .where(and(eq(tables.events.realmId, realmId), eq(tables.events.type, "user.signup_rejected")))
    .orderBy(tables.events.id);
  return rows.map((e) => ({ reason: e.data.reason, ip: e.ip, appId: e.appId, userId: e.userId }));
}

async function userCount(gh: Services, realmId: string) {
  return (await gh.users.list(realmId, { limit: 100 })).data.length;
}

describe("signup honeypot", () => {
  it("refuses a filled trap field with the generic error, creates nothing and records why", async () => {
    const gh = await testServices();
    const { realm, app } = await testRealm(gh);
    const entry = await gh.flows.entry(realm, {});
    const error = await gh.flows
      .signup(realm, entry, { email: "bot@example.com", password, website: "http://spam.example" }, ctx)
      .catch((e) => e);
    expect(error).toMatchObject({ code: "signup.rejected", status: 400, fields: [] });
    expect(await userCount(gh, realm.id)).toBe(0);
    const sessions = await gh.db.select().from(tables.sessions).where(eq(tables.sessions.realmId, realm.id));
    expect(sessions).toHaveLength(0);
    expect(await rejections(gh, realm.id)).toEqual([
      { reason: "honeypot", ip: "198.51.100.23", appId: app.id, userId: null },
    ]);
  });

  it("is refused before anything else is judged: mode, invitation and fields", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { signup_mode: "invitation" });
    const entry = await gh.flows.entry(realm, {});
    await expect(
      gh.flows.signup(realm, entry, { email: "x", password: "", website: " " }, ctx),
    ).rejects.toMatchObject({ code: "signup.rejected" });
  });

  it("lets an empty trap field through", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const entry = await gh.flows.entry(realm, {});
    await gh.flows.signup(realm, entry, { email: "person@example.com", password, website: "" }, ctx);
    expect(await userCount(gh, realm.id)).toBe(1);
    expect(await rejections(gh, realm.id)).toEqual([]);
  });
});

describe("signup email-domain lists", () => {
  it("allows only the allow list's domains and their subdomains, as a field error on email", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { signup_email_domains_allow: ["Acme.com"] });
    const entry = await gh.flows.entry(realm, {});
    await gh.flows.signup(realm, entry, { email: "ann@acme.com", password }, ctx);
    await gh.flows.signup(realm, entry, { email: "bob@EU.Acme.COM", password }, ctx);
    for (const email of ["eve@gmail.com", "eve@notacme.com", "eve@acme.com.evil.org"]) {
      await expect(
        gh.flows.signup(realm, entry, { email, password: "short" }, ctx),
        email,
      ).rejects.toMatchObject({
        code: "validation.failed",
        status: 422,
        // Every failing rule at once: the domain and the password.
        fields: expect.arrayContaining([
          expect.objectContaining({ field: "email", code: "email.domain_not_allowed" }),
          expect.objectContaining({ field: "password", code: "password.too_short" }),
        ]),
      });
    }
    expect(await userCount(gh, realm.id)).toBe(2);
    expect((await rejections(gh, realm.id)).map((r) => r.reason)).toEqual(Array(3).fill("email_domain"));
  });

  it("refuses the deny list's domains and subdomains; deny wins over allow", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, {
      signup_email_domains_allow: ["acme.com"],
      signup_email_domains_deny: ["guests.acme.com"],
    });
    const entry = await gh.flows.entry(realm, {});
    await expect(
      gh.flows.signup(realm, entry, { email: "v@x.guests.acme.com", password }, ctx),
    ).rejects.toMatchObject({ fields: [{ field: "email", code: "email.domain_not_allowed" }] });
    await gh.flows.signup(realm, entry, { email: "staff@acme.com", password }, ctx);
    expect(await userCount(gh, realm.id)).toBe(1);
  });

  it("does not apply to users created through the API (admins are trusted)", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { signup_email_domains_deny: ["gmail.com"] });
    const user = await gh.users.create(realm, { email: "someone@gmail.com", password });
    expect(user.email).toBe("someone@gmail.com");
  });
});

describe("signup modes", () => {
  it("closed refuses every signup, invitation or not, and records nothing as abuse", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { signup_mode: "closed" });
    const entry = await gh.flows.entry(realm, {});
    await expect(
      gh.flows.signup(realm, entry, { email: "x@example.com", password }, ctx),
    ).rejects.toMatchObject({ code: "signup.closed", params: { realm: realm.name } });
    expect(await userCount(gh, realm.id)).toBe(0);
    expect(await rejections(gh, realm.id)).toEqual([]);
  });

  it("invitation mode refuses a signup without an invitation, or with an unknown one", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { signup_mode: "invitation" });
    const entry = await gh.flows.entry(realm, {});
    await expect(
      gh.flows.signup(realm, entry, { email: "x@example.com", password }, ctx),
    ).rejects.toMatchObject({ code: "signup.invitation_required", status: 403 });
    for (const invitation of ["A".repeat(43), "short", "../../etc"]) {
      await expect(
        gh.flows.signup(realm, entry, { email: "x@example.com", password, invitation }, ctx),
      ).rejects.toMatchObject({ code: "signup.invitation_invalid", status: 400 });
    }
    expect(await userCount(gh, realm.id)).toBe(0);
    expect((await rejections(gh, realm.id)).map((r) => r.reason)).toEqual([
      "invitation_required",
      "invitation_invalid",
      "invitation_invalid",
      "invitation_invalid",
    ]);
  });
});
