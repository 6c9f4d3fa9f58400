import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { createKeyRing, parseKeyRing } from "@/lib/crypto/keyring";
import { tables } from "@/lib/db";
import { testRealm, testServices } from "@/test/db";
import { createMfa } from "./mfa";
import { totpCode } from "./totp";

const keyOf = (id: string) => `${id}:${randomBytes(32).toString("base64")}`;

async function setUp(keys = keyOf("k1")) {
  const gh = await testServices();
  const { realm } = await testRealm(gh);
  const user = await gh.users.create(realm, { email: `mfa-${randomBytes(4).toString("hex")}@example.com` });
  const clock = fixedClock("2026-11-29T12:00:10Z");
  const ring = createKeyRing(parseKeyRing(keys));
  const mfa = createMfa({ db: gh.db, clock, ring: async () => ring });
  return { gh, realm, user, clock, mfa, keys };
}

async function enrolled(keys?: string) {
  const s = await setUp(keys);
  const { secret } = await s.mfa.beginEnrolment(
    s.realm.id,
    s.user.id,
    {
      issuer: "Acme",
      account: s.user.email,
    },
    "test",
  );
  const codes = await s.mfa.confirmEnrolment(s.realm.id, s.user.id, totpCode(secret, s.clock.now()), "test");
  s.clock.advance(30_000);
  return { ...s, secret, codes };
}

describe("TOTP enrolment and verification", () => {
  it("stores the seed encrypted, confirms with a code, and hands out ten recovery codes once", async () => {
    const { gh, realm, user, clock, mfa } = await setUp();
    const { secret, uri } = await mfa.beginEnrolment(
      realm.id,
      user.id,
      {
        issuer: "Acme",
        account: user.email,
      },
      "test",
    );
    expect(uri).toContain(`secret=${secret}`);
    const [row] = await gh.db
      .select()
      .from(tables.totpCredentials)
      .where(and(eq(tables.totpCredentials.realmId, realm.id), eq(tables.totpCredentials.userId, user.id)));
    expect(row?.secretSealed).toMatch(/^gh1\.k1\./);
    expect(row?.secretSealed).not.toContain(secret);
    expect((await mfa.status(realm.id, user.id)).enabled).toBe(false);

    await expect(mfa.confirmEnrolment(realm.id, user.id, "000000", "test")).rejects.toMatchObject({
      code: "validation.failed",
    });
    const codes = await mfa.confirmEnrolment(realm.id, user.id, totpCode(secret, clock.now()), "test");
    expect(codes).toHaveLength(10);
    expect(await mfa.status(realm.id, user.id)).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    const stored = await gh.db
      .select()
      .from(tables.recoveryCodes)
      .where(eq(tables.recoveryCodes.userId, user.id));
    expect(stored.map((c) => c.codeHash).join()).not.toContain(codes[0]?.replace(/-/g, ""));
    await expect(
      mfa.beginEnrolment(realm.id, user.id, { issuer: "A", account: "a" }, "test"),
    ).rejects.toMatchObject({
      code: "mfa.already_enabled",
    });
  });

  it("accepts each time step once: the code used to confirm, and a replayed code, are refused", async () => {
    const { realm, user, clock, mfa, secret } = await enrolled();
    // The confirming code's step is spent; so is every earlier one.
    expect(
      await mfa.verifyTotp(realm.id, user.id, totpCode(secret, new Date(clock.now().getTime() - 30_000))),
    ).toBe(false);
    const code = totpCode(secret, clock.now());
    expect(await mfa.verifyTotp(realm.id, user.id, code)).toBe(true);
    expect(await mfa.verifyTotp(realm.id, user.id, code)).toBe(false);
    clock.advance(30_000);
    expect(await mfa.verifyTotp(realm.id, user.id, "123456")).toBe(false);
  });

  it("lets exactly one of many concurrent requests with the same code through", async () => {
    const { realm, user, clock, mfa, secret } = await enrolled();
    const code = totpCode(secret, clock.now());
    const results = await Promise.all(
      Array.from({ length: 10 }, () => mfa.verifyTotp(realm.id, user.id, code)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("spends recovery codes once each, concurrently too, and regenerating voids the old ones", async () => {
    const { realm, user, mfa, codes } = await enrolled();
    const [first = "", second = ""] = codes;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => mfa.useRecoveryCode(realm.id, user.id, first.toUpperCase())),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await mfa.status(realm.id, user.id)).recoveryCodesLeft).toBe(9);
    const fresh = await mfa.regenerateRecoveryCodes(realm.id, user.id);
    expect(await mfa.useRecoveryCode(realm.id, user.id, second)).toBe(false);
    expect(await mfa.useRecoveryCode(realm.id, user.id, fresh[0])).toBe(true);
  });

  it("disable removes the app and the codes", async () => {
    const { realm, user, clock, mfa, secret, codes } = await enrolled();
    expect(await mfa.disable(realm.id, user.id)).toBe(true);
    expect(await mfa.status(realm.id, user.id)).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    expect(await mfa.verifyTotp(realm.id, user.id, totpCode(secret, clock.now()))).toBe(false);
    expect(await mfa.useRecoveryCode(realm.id, user.id, codes[1])).toBe(false);
  });
});

describe("an enrolment in progress belongs to the flow or session that started it", () => {
  it("another origin can neither see its key nor confirm it, and starting anew replaces it", async () => {
    const { realm, user, clock, mfa } = await setUp();
    const labels = { issuer: "Acme", account: user.email };
    const mine = await mfa.beginEnrolment(realm.id, user.id, labels, "flow:victim");
    expect((await mfa.pendingEnrolment(realm.id, user.id, labels, "flow:victim"))?.secret).toBe(mine.secret);
    // Someone else's login with the same password: no key shown, no confirmation with a code of it.
    expect(await mfa.pendingEnrolment(realm.id, user.id, labels, "flow:attacker")).toBeNull();
    await expect(
      mfa.confirmEnrolment(realm.id, user.id, totpCode(mine.secret, clock.now()), "flow:attacker"),
    ).rejects.toMatchObject({ code: "mfa.enrolment_missing" });
    // Their own start replaces the pending seed; the victim's old key then confirms nothing.
    const theirs = await mfa.beginEnrolment(realm.id, user.id, labels, "flow:attacker");
    expect(theirs.secret).not.toBe(mine.secret);
    await expect(
      mfa.confirmEnrolment(realm.id, user.id, totpCode(mine.secret, clock.now()), "flow:victim"),
    ).rejects.toMatchObject({ code: "mfa.enrolment_missing" });
    expect((await mfa.status(realm.id, user.id)).enabled).toBe(false);
  });
});

describe("key rotation", () => {
  it("keeps old seeds working after a new key is put first, and re-encrypts them on request", async () => {
    const old = keyOf("k1");
    const { gh, realm, user, clock, secret } = await enrolled(old);
    const k2 = keyOf("k2");
    const rotated = createKeyRing(parseKeyRing(`${k2},${old}`));
    const mfa = createMfa({ db: gh.db, clock, ring: async () => rotated });
    expect(await mfa.verifyTotp(realm.id, user.id, totpCode(secret, clock.now()))).toBe(true);
    expect(await mfa.reencryptStale(realm.id)).toBe(1);
    const [row] = await gh.db
      .select()
      .from(tables.totpCredentials)
      .where(and(eq(tables.totpCredentials.realmId, realm.id), eq(tables.totpCredentials.userId, user.id)));
    expect(row?.secretSealed).toMatch(/^gh1\.k2\./);
    // Once re-encrypted, the old key can go.
    clock.advance(30_000);
    const newOnly = createMfa({ db: gh.db, clock, ring: async () => createKeyRing(parseKeyRing(k2)) });
    expect(await newOnly.verifyTotp(realm.id, user.id, totpCode(secret, clock.now()))).toBe(true);
  });
});
