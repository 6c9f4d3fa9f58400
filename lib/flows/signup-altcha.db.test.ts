import { describe, expect, it } from "vitest";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { solveAltcha } from "@/test/altcha";
import { testRealm, testServices } from "@/test/db";

const ctx = { ip: "203.0.113.9", userAgent: "vitest" };
const password = "a-long-enough-password";

async function signup(gh: Services, realm: Realm, email: string, altcha?: unknown) {
  const entry = await gh.flows.entry(realm, {});
  return gh.flows.signup(realm, entry, { email, password, altcha }, ctx);
}

async function emails(gh: Services, realmId: string) {
  return (await gh.users.list(realmId, { limit: 100 })).data.map((u) => u.email);
}

describe("signup with the anti-robot check (ALTCHA)", () => {
  it("creates nobody without a solved challenge, then signs up with one, which cannot be used again", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { signup_altcha: true });

    for (const payload of [undefined, "", "bm90IGEgcGF5bG9hZA=="]) {
      await expect(signup(gh, realm, "bot@example.com", payload)).rejects.toMatchObject({
        code: "validation.failed",
        fields: [{ field: "altcha", code: "challenge.failed" }],
      });
    }
    expect(await emails(gh, realm.id)).toEqual([]);

    const payload = await solveAltcha(await gh.altcha.challenge(realm.id));
    await signup(gh, realm, "person@example.com", payload);
    await expect(signup(gh, realm, "second@example.com", payload)).rejects.toMatchObject({
      fields: [{ field: "altcha", code: "challenge.failed" }],
    });
    expect(await emails(gh, realm.id)).toEqual(["person@example.com"]);
  }, 60_000);

  it("refuses an address already taken only after the check, so bots pay to probe for accounts", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { signup_altcha: true });
    await gh.users.create(realm, { email: "taken@example.com", password });
    await expect(signup(gh, realm, "taken@example.com")).rejects.toMatchObject({
      fields: [{ field: "altcha", code: "challenge.failed" }],
    });
  });

  it("keeps the challenge when the form itself is invalid, so the person can fix it and resend", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { signup_altcha: true });
    const payload = await solveAltcha(await gh.altcha.challenge(realm.id));
    await expect(signup(gh, realm, "not-an-email", payload)).rejects.toMatchObject({
      fields: [expect.objectContaining({ field: "email" })],
    });
    await signup(gh, realm, "fixed@example.com", payload);
    expect(await emails(gh, realm.id)).toEqual(["fixed@example.com"]);
  }, 60_000);

  it("refuses a challenge solved for another realm", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { signup_altcha: true });
    const { realm: other } = await testRealm(gh, { signup_altcha: true });
    const payload = await solveAltcha(await gh.altcha.challenge(other.id));
    await expect(signup(gh, realm, "person@example.com", payload)).rejects.toMatchObject({
      fields: [{ field: "altcha", code: "challenge.failed" }],
    });
    expect(await emails(gh, realm.id)).toEqual([]);
  }, 60_000);

  it("asks for nothing when the realm has it off (the default)", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    expect(realm.settings.signup_altcha).toBe(false);
    await signup(gh, realm, "plain@example.com");
    expect(await emails(gh, realm.id)).toEqual(["plain@example.com"]);
  });
});
