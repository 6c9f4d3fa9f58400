import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { createEncryption } from "@/lib/crypto/encryption";
import { createInstallationSecrets } from "@/lib/crypto/installation-secrets";
import type { Db } from "@/lib/db";
import { testRealm, testServices } from "@/test/db";
import { createMfa } from "./mfa";
import { MissingKeyError, reencryptWithActiveKey } from "./rotation";
import { totpCode } from "./totp";

const keyOf = (id: string) => `${id}:${randomBytes(32).toString("base64")}`;

/** The services' way of building the ring, over the test database. */
async function mfaWith(db: Db, clock: ReturnType<typeof fixedClock>, configured?: string) {
  const encryption = createEncryption({ configured, secrets: createInstallationSecrets({ db }) });
  const ring = await encryption.ring();
  return { ring, mfa: createMfa({ db, clock, ring: async () => ring }) };
}

describe("rotating the encryption key of TOTP seeds (npm run keys:reencrypt)", () => {
  it("moves seeds from an older key to the new first key; refuses, naming the key, while a key is missing", async () => {
    const gh = await testServices();
    const clock = fixedClock("2026-11-29T12:00:10Z");
    const { realm } = await testRealm(gh);
    const user = await gh.users.create(realm, { email: `rot-${Date.now().toString(36)}@example.com` });
    const k1 = keyOf("k1");
    const k2 = keyOf("k2");
    const before = await mfaWith(gh.db, clock, k1);
    const { secret } = await before.mfa.beginEnrolment(
      realm.id,
      user.id,
      { issuer: "A", account: "a" },
      "test",
    );
    await before.mfa.confirmEnrolment(realm.id, user.id, totpCode(secret, clock.now()), "test");
    clock.advance(30_000);

    // The old key dropped too early: nothing is touched, and the error names it.
    const dropped = await mfaWith(gh.db, clock, k2);
    expect(await dropped.mfa.missingKeys(realm.id)).toEqual([["k1", 1]]);
    const refused = await reencryptWithActiveKey(dropped.mfa, dropped.ring, realm.id).catch((e) => e);
    expect(refused).toBeInstanceOf(MissingKeyError);
    expect(refused.message).toMatch(/sealed with key "k1", which is not in GATEHOUSE_ENCRYPTION_KEYS/);
    expect((await dropped.mfa.keyUsage(realm.id)).get("k2")).toBeUndefined();
    await expect(dropped.mfa.verifyTotp(realm.id, user.id, totpCode(secret, clock.now()))).rejects.toThrow(
      /key "k1"/,
    );

    // New key first, old key kept: old seeds still work; the command moves them, then the old key can go.
    const rotated = await mfaWith(gh.db, clock, `${k2},${k1}`);
    expect(await rotated.mfa.verifyTotp(realm.id, user.id, totpCode(secret, clock.now()))).toBe(true);
    const report = await reencryptWithActiveKey(rotated.mfa, rotated.ring, realm.id);
    expect(report.activeKey).toBe("k2");
    expect(report.reencrypted).toBe(1);
    expect(report.before).toEqual(new Map([["k1", 1]]));
    expect(report.after).toEqual(new Map([["k2", 1]]));
    expect(await rotated.mfa.missingKeys(realm.id)).toEqual([]);
    expect((await reencryptWithActiveKey(rotated.mfa, rotated.ring, realm.id)).reencrypted).toBe(0);
    clock.advance(30_000);
    const newOnly = await mfaWith(gh.db, clock, k2);
    expect(await newOnly.mfa.missingKeys(realm.id)).toEqual([]);
    expect(await newOnly.mfa.verifyTotp(realm.id, user.id, totpCode(secret, clock.now()))).toBe(true);
  });

  it("moves seeds from the key stored in the database (no keys configured) to configured keys", async () => {
    const gh = await testServices();
    const clock = fixedClock("2026-11-29T12:00:10Z");
    const { realm } = await testRealm(gh);
    const user = await gh.users.create(realm, { email: `stored-${Date.now().toString(36)}@example.com` });
    const stored = await mfaWith(gh.db, clock);
    expect(stored.ring.activeId).toBe("db1");
    const { secret } = await stored.mfa.beginEnrolment(
      realm.id,
      user.id,
      { issuer: "A", account: "a" },
      "test",
    );
    await stored.mfa.confirmEnrolment(realm.id, user.id, totpCode(secret, clock.now()), "test");
    clock.advance(30_000);

    const configured = await mfaWith(gh.db, clock, keyOf("k1"));
    // The stored key stays readable behind the configured ones, for decryption only.
    expect(configured.ring.ids).toEqual(["k1", "db1"]);
    expect(await configured.mfa.verifyTotp(realm.id, user.id, totpCode(secret, clock.now()))).toBe(true);
    const report = await reencryptWithActiveKey(configured.mfa, configured.ring, realm.id);
    expect(report.before).toEqual(new Map([["db1", 1]]));
    expect(report.after).toEqual(new Map([["k1", 1]]));
  });
});
