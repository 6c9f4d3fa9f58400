import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { testRealm, testServices } from "@/test/db";
import type { ProviderFields } from "./providers";

const fields = (over: Partial<ProviderFields> = {}): ProviderFields => ({
  slug: "corp",
  kind: "oidc",
  displayName: "Corp",
  clientId: "client-1",
  clientSecret: "s3cret-value",
  scopes: ["openid", "email"],
  config: { issuer: "https://id.corp.example" },
  enabled: true,
  position: 0,
  ...over,
});

const profile = (subject: string) => ({
  subject,
  email: `${subject}@example.com`,
  emailVerified: true,
  firstName: null,
  lastName: null,
});

async function setUp() {
  const gh = await testServices();
  const { realm } = await testRealm(gh);
  return { gh, realm };
}

describe("social provider store", () => {
  it("seals the client secret at rest and opens it only for its own provider", async () => {
    const { gh, realm } = await setUp();
    const provider = await gh.socialProviders.create(realm.id, fields());
    expect(provider.hasClientSecret).toBe(true);
    expect(JSON.stringify(provider)).not.toContain("s3cret-value");
    const p = tables.socialProviders;
    const [row] = await gh.db
      .select()
      .from(p)
      .where(and(eq(p.realmId, realm.id), eq(p.id, provider.id)));
    expect(row?.clientSecretSealed).toMatch(/^gh1\./);
    expect(row?.clientSecretSealed).not.toContain("s3cret");
    expect(await gh.socialProviders.clientSecret(provider)).toBe("s3cret-value");

    // The same ciphertext copied to another provider does not open there.
    const other = await gh.socialProviders.create(realm.id, fields({ slug: "other", clientSecret: null }));
    expect(other.hasClientSecret).toBe(false);
    expect(await gh.socialProviders.clientSecret(other)).toBeNull();
    await gh.db
      .update(p)
      .set({ clientSecretSealed: row?.clientSecretSealed })
      .where(and(eq(p.realmId, realm.id), eq(p.id, other.id)));
    await expect(gh.socialProviders.clientSecret(other)).rejects.toThrow();
  });

  it("keeps the secret on an update that does not name it, and lists in button order", async () => {
    const { gh, realm } = await setUp();
    const second = await gh.socialProviders.create(realm.id, fields({ slug: "b", position: 2 }));
    const first = await gh.socialProviders.create(
      realm.id,
      fields({ slug: "a", position: 1, enabled: false }),
    );
    await gh.socialProviders.update(realm.id, second.id, { displayName: "Renamed" });
    expect(await gh.socialProviders.clientSecret(second)).toBe("s3cret-value");
    expect((await gh.socialProviders.list(realm.id)).map((x) => x.slug)).toEqual(["a", "b"]);
    expect((await gh.socialProviders.list(realm.id, { enabledOnly: true })).map((x) => x.id)).toEqual([
      second.id,
    ]);
    expect((await gh.socialProviders.findBySlug(realm.id, "a"))?.id).toBe(first.id);
  });

  it("refuses a slug the realm already uses, and allows it in another realm", async () => {
    const { gh, realm } = await setUp();
    await gh.socialProviders.create(realm.id, fields());
    await expect(gh.socialProviders.create(realm.id, fields())).rejects.toMatchObject({
      code: "social.slug_taken",
    });
    const { realm: other } = await testRealm(gh);
    await expect(gh.socialProviders.create(other.id, fields())).resolves.toMatchObject({ slug: "corp" });
    expect(await gh.socialProviders.findBySlug(other.id, "missing")).toBeNull();
  });
});

describe("identity store", () => {
  it("links an upstream account to exactly one user, once per provider", async () => {
    const { gh, realm } = await setUp();
    const provider = await gh.socialProviders.create(realm.id, fields());
    const alice = await gh.users.create(realm, { email: `a-${randomBytes(3).toString("hex")}@example.com` });
    const bob = await gh.users.create(realm, { email: `b-${randomBytes(3).toString("hex")}@example.com` });
    const identity = await gh.identities.link(realm.id, alice.id, provider.id, profile("sub-1"));
    expect((await gh.identities.findBySubject(realm.id, provider.id, "sub-1"))?.userId).toBe(alice.id);
    // The same upstream account cannot be linked to a second user …
    await expect(gh.identities.link(realm.id, bob.id, provider.id, profile("sub-1"))).rejects.toMatchObject({
      code: "social.identity_taken",
    });
    // … and a user has one identity per provider.
    await expect(gh.identities.link(realm.id, alice.id, provider.id, profile("sub-2"))).rejects.toMatchObject(
      { code: "social.identity_taken" },
    );
    const listed = await gh.identities.listForUser(realm.id, alice.id);
    expect(listed).toMatchObject([{ id: identity.id, providerSlug: "corp", providerName: "Corp" }]);
    expect(await gh.identities.countForUser(realm.id, alice.id)).toBe(1);
    await expect(gh.identities.unlink(realm.id, bob.id, identity.id)).rejects.toMatchObject({
      code: "social.identity_not_found",
    });
    await gh.identities.unlink(realm.id, alice.id, identity.id);
    expect(await gh.identities.countForUser(realm.id, alice.id)).toBe(0);
  });

  it("forgets identities with their provider", async () => {
    const { gh, realm } = await setUp();
    const provider = await gh.socialProviders.create(realm.id, fields());
    const user = await gh.users.create(realm, { email: `c-${randomBytes(3).toString("hex")}@example.com` });
    await gh.identities.link(realm.id, user.id, provider.id, profile("sub-3"));
    await gh.socialProviders.remove(realm.id, provider.id);
    expect(await gh.identities.countForUser(realm.id, user.id)).toBe(0);
    await expect(gh.socialProviders.remove(realm.id, provider.id)).rejects.toMatchObject({
      code: "social.provider_not_found",
    });
  });
});
