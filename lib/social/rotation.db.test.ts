import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { createEncryption } from "@/lib/crypto/encryption";
import { createInstallationSecrets } from "@/lib/crypto/installation-secrets";
import type { Db } from "@/lib/db";
import { createMfa, totpCode } from "@/lib/mfa";
import { MissingKeyError, reencryptAllWithActiveKey, totpSeeds } from "@/lib/mfa/rotation";
import { testRealm, testServices } from "@/test/db";
import { createSocialProviders } from "./providers";
import { providerSecrets } from "./rotation";

const keyOf = (id: string) => `${id}:${randomBytes(32).toString("base64")}`;
const clock = fixedClock("2026-11-29T12:00:10Z");

/** The services' way of building the ring, over the test database. */
async function storesWith(db: Db, configured?: string) {
  const encryption = createEncryption({ configured, secrets: createInstallationSecrets({ db }) });
  const ring = await encryption.ring();
  const deps = { db, clock, ring: async () => ring };
  const mfa = createMfa(deps);
  const providers = createSocialProviders(deps);
  return { ring, mfa, providers, sets: [totpSeeds(mfa), providerSecrets(providers)] };
}

const fields = (slug: string, clientSecret: string | null) => ({
  slug,
  kind: "github" as const,
  displayName: "GitHub",
  clientId: `${slug}-client`,
  clientSecret,
  scopes: [],
  config: {},
  enabled: true,
  position: 0,
});

describe("rotating the encryption key of social providers' client secrets (npm run keys:reencrypt)", () => {
  it("moves client secrets (with TOTP seeds) to the new first key; refuses, naming the key, while a key is missing", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const k1 = keyOf("k1");
    const k2 = keyOf("k2");
    const before = await storesWith(gh.db, k1);
    const provider = await before.providers.create(realm.id, fields("github", "the-client-secret"));
    const publicClient = await before.providers.create(realm.id, fields("public", null));
    const user = await gh.users.create(realm, { email: `rot-${Date.now().toString(36)}@example.com` });
    const { secret } = await before.mfa.beginEnrolment(realm.id, user.id, { issuer: "A", account: "a" }, "t");
    await before.mfa.confirmEnrolment(realm.id, user.id, totpCode(secret, clock.now()), "t");

    // The old key dropped too early: nothing is touched, and the error names key and values.
    const dropped = await storesWith(gh.db, k2);
    expect(await dropped.providers.missingKeys(realm.id)).toEqual([["k1", 1]]);
    const refused = await reencryptAllWithActiveKey(dropped.sets, dropped.ring, realm.id).catch((e) => e);
    expect(refused).toBeInstanceOf(MissingKeyError);
    expect(refused.message).toBe(
      '1 TOTP seed(s) are sealed with key "k1", 1 social provider client secret(s) are sealed with key "k1", which is not in GATEHOUSE_ENCRYPTION_KEYS. Put the old key back (after the new one) and run this again.',
    );
    expect(await dropped.providers.keyUsage(realm.id)).toEqual(new Map([["k1", 1]]));
    await expect(dropped.providers.clientSecret(provider)).rejects.toThrow(/key "k1"/);

    // New key first, old key kept: the command moves both kinds; then the old key can go.
    const rotated = await storesWith(gh.db, `${k2},${k1}`);
    expect(await rotated.providers.clientSecret(provider)).toBe("the-client-secret");
    const reports = await reencryptAllWithActiveKey(rotated.sets, rotated.ring, realm.id);
    expect(reports.map((r) => [r.what, r.reencrypted, r.before, r.after])).toEqual([
      ["TOTP seed(s)", 1, new Map([["k1", 1]]), new Map([["k2", 1]])],
      ["social provider client secret(s)", 1, new Map([["k1", 1]]), new Map([["k2", 1]])],
    ]);
    expect((await reencryptAllWithActiveKey(rotated.sets, rotated.ring, realm.id))[1]?.reencrypted).toBe(0);

    const newOnly = await storesWith(gh.db, k2);
    expect(await newOnly.providers.missingKeys(realm.id)).toEqual([]);
    expect(await newOnly.providers.clientSecret(provider)).toBe("the-client-secret");
    expect(await newOnly.providers.clientSecret(publicClient)).toBeNull();
    clock.advance(30_000);
    expect(await newOnly.mfa.verifyTotp(realm.id, user.id, totpCode(secret, clock.now()))).toBe(true);
  });

  it("moves client secrets from the key stored in the database (no keys configured) to configured keys", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const stored = await storesWith(gh.db);
    expect(stored.ring.activeId).toBe("db1");
    const provider = await stored.providers.create(realm.id, fields("github", "stored-key-secret"));

    const configured = await storesWith(gh.db, keyOf("k1"));
    expect(await configured.providers.clientSecret(provider)).toBe("stored-key-secret");
    const [, report] = await reencryptAllWithActiveKey(configured.sets, configured.ring, realm.id);
    expect(report?.before).toEqual(new Map([["db1", 1]]));
    expect(report?.after).toEqual(new Map([["k1", 1]]));
    expect(await configured.providers.clientSecret(provider)).toBe("stored-key-secret");
  });
});
