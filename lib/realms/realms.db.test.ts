import { describe, expect, it } from "vitest";
import { testRealm, testServices } from "@/test/db";

describe("realms (database)", () => {
  it("creates a realm with its theme row and an active RS256 signing key", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    expect(realm.id).toMatch(/^rl_/);
    expect(realm.settings.token_algorithm).toBe("RS256");
    const jwks = await gh.keys.jwks(realm.id);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(jwks.keys[0]).not.toHaveProperty("d");
    expect(await gh.realms.theme(realm.id)).toEqual({});
  });

  it("refuses a duplicate slug with 409 realm.slug_taken and leaves the first realm alone", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    await expect(gh.realms.create({ slug: realm.slug, name: "Other" })).rejects.toMatchObject({
      code: "realm.slug_taken",
      status: 409,
    });
    expect((await gh.realms.get(realm.slug)).name).toBe(realm.name);
  });

  it("merges a settings patch, keeps other settings, and refuses unknown keys", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const updated = await gh.realms.update(realm.id, { settings: { token_minutes: 5 } });
    expect(updated.settings.token_minutes).toBe(5);
    expect(updated.settings.bcrypt_cost).toBe(4);
    await expect(gh.realms.update(realm.id, { settings: { no_such: 1 } })).rejects.toMatchObject({
      status: 422,
    });
    await expect(
      gh.realms.update(realm.id, { settings: { password_min_length: 300 } }),
    ).rejects.toMatchObject({
      status: 422,
    });
    expect((await gh.realms.get(realm.id)).settings.token_minutes).toBe(5);
  });

  it("refuses a patch that would leave the minimum password length above the maximum", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    await expect(
      gh.realms.update(realm.id, { settings: { password_min_length: 64, password_max_length: 32 } }),
    ).rejects.toMatchObject({
      status: 422,
      fields: [{ field: "settings.password_max_length", code: "field.invalid" }],
    });
    expect((await gh.realms.get(realm.id)).settings.password_min_length).toBe(8);
  });

  it("finds by slug case-insensitively and by id, and not at all for junk", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    expect((await gh.realms.find(realm.slug.toUpperCase()))?.id).toBe(realm.id);
    expect((await gh.realms.find(realm.id))?.slug).toBe(realm.slug);
    expect(await gh.realms.find("x".repeat(500))).toBeNull();
    expect(await gh.realms.find("rl_doesnotexist")).toBeNull();
  });

  it("keeps the token algorithm fixed after creation and refuses HS256 until its secret can be handed out", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { token_algorithm: "ES256" });
    expect((await gh.keys.jwks(realm.id)).keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256" });
    await expect(
      gh.realms.update(realm.id, { settings: { token_algorithm: "RS256" } }),
    ).rejects.toMatchObject({
      fields: [{ field: "settings.token_algorithm", code: "field.read_only" }],
    });
    expect(
      (await gh.realms.update(realm.id, { settings: { token_algorithm: "ES256" } })).settings.token_algorithm,
    ).toBe("ES256");
    await expect(
      gh.realms.create({
        slug: `hs${Date.now().toString(36)}`,
        name: "HS",
        settings: { token_algorithm: "HS256" },
      }),
    ).rejects.toMatchObject({ fields: [{ field: "settings.token_algorithm", code: "field.unsupported" }] });
  });

  it("two concurrent settings patches both land (no lost update)", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    await Promise.all([
      gh.realms.update(realm.id, { settings: { token_minutes: 7 } }),
      gh.realms.update(realm.id, { settings: { session_minutes: 99 } }),
      gh.realms.update(realm.id, { name: "Renamed" }),
    ]);
    const after = await gh.realms.get(realm.id);
    expect(after.settings.token_minutes).toBe(7);
    expect(after.settings.session_minutes).toBe(99);
    expect(after.name).toBe("Renamed");
  });
});
