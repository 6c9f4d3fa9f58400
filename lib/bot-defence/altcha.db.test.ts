import { createHash } from "node:crypto";
import type { Challenge } from "altcha-lib";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fixedClock, systemClock } from "@/lib/clock";
import { createInstallationSecrets } from "@/lib/crypto/installation-secrets";
import { tables } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { createServices } from "@/lib/services";
import { altchaPayload, solveAltcha } from "@/test/altcha";
import { TEST_PUBLIC_URL, testDb, testRealm, testServices } from "@/test/db";
import { createAltcha, defaultDifficulty } from "./altcha";

// Cheap challenges for the logic; one test below solves the production difficulty.
const easy = { cost: 10, counterMin: 5, counterMax: 50 };
const SECRET = "installation-secret-for-tests-0123456789";

async function service(options: { clock?: ReturnType<typeof fixedClock>; secret?: string } = {}) {
  const { db } = await testDb();
  return createAltcha({
    db,
    clock: options.clock ?? systemClock,
    secret: async () => options.secret ?? SECRET,
    difficulty: easy,
  });
}

const REALM_A = "rl_altcha_test_a";
const REALM_B = "rl_altcha_test_b";

function decode(payload: string) {
  return JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
}
function encode(value: unknown) {
  return Buffer.from(JSON.stringify(value)).toString("base64");
}

async function spentRow(challenge: Challenge) {
  const { db } = await testDb();
  const id = createHash("sha256").update(String(challenge.signature)).digest("hex");
  return (await db.select().from(tables.spentChallenges).where(eq(tables.spentChallenges.id, id)))[0];
}

describe("ALTCHA challenges", () => {
  it("issues a signed, expiring PBKDF2 challenge bound to the realm", async () => {
    const clock = fixedClock(new Date());
    const altcha = await service({ clock });
    const challenge = await altcha.challenge(REALM_A);
    expect(challenge.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(challenge.parameters).toMatchObject({
      algorithm: "PBKDF2/SHA-256",
      cost: easy.cost,
      data: { realm: REALM_A },
      expiresAt: Math.floor(clock.now().getTime() / 1000) + 600,
    });
    expect(challenge.parameters.keySignature).toMatch(/^[0-9a-f]{64}$/);
  });

  it("redeems a genuine solution once; the replay fails", async () => {
    const altcha = await service();
    const challenge = await altcha.challenge(REALM_A);
    const payload = await solveAltcha(challenge);
    expect(await altcha.redeem(REALM_A, payload)).toBe(true);
    expect(await spentRow(challenge)).toBeDefined();
    expect(await altcha.redeem(REALM_A, payload)).toBe(false);
  });

  it("of many concurrent redemptions of one solution exactly one passes", async () => {
    const altcha = await service();
    const payload = await solveAltcha(await altcha.challenge(REALM_A));
    const results = await Promise.all(Array.from({ length: 12 }, () => altcha.redeem(REALM_A, payload)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("a replay fails on another instance too (the spent list is in the database)", async () => {
    const first = await service();
    const second = await service();
    const payload = await solveAltcha(await first.challenge(REALM_A));
    expect(await first.redeem(REALM_A, payload)).toBe(true);
    expect(await second.redeem(REALM_A, payload)).toBe(false);
  });

  it("refuses a challenge of another realm, which stays redeemable in its own", async () => {
    const altcha = await service();
    const payload = await solveAltcha(await altcha.challenge(REALM_A));
    expect(await altcha.redeem(REALM_B, payload)).toBe(false);
    expect(await altcha.redeem(REALM_A, payload)).toBe(true);
  });

  it("refuses a challenge whose realm was rewritten (the signature covers it)", async () => {
    const altcha = await service();
    const challenge = await altcha.challenge(REALM_A);
    const forged = decode(await solveAltcha(challenge));
    forged.challenge.parameters.data.realm = REALM_B;
    expect(await altcha.redeem(REALM_B, encode(forged))).toBe(false);
  });

  it("refuses tampered parameters, a foreign signature and a wrong solution", async () => {
    const altcha = await service();
    const challenge = await altcha.challenge(REALM_A);
    const genuine = decode(await solveAltcha(challenge));

    const cheaper = structuredClone(genuine);
    cheaper.challenge.parameters.cost = 1;
    expect(await altcha.redeem(REALM_A, encode(cheaper))).toBe(false);

    const longer = structuredClone(genuine);
    longer.challenge.parameters.expiresAt += 3600;
    expect(await altcha.redeem(REALM_A, encode(longer))).toBe(false);

    const otherSignature = structuredClone(genuine);
    otherSignature.challenge.signature = (await altcha.challenge(REALM_A)).signature;
    expect(await altcha.redeem(REALM_A, encode(otherSignature))).toBe(false);

    const wrongKey = structuredClone(genuine);
    wrongKey.solution.derivedKey = "00".repeat(32);
    expect(await altcha.redeem(REALM_A, encode(wrongKey))).toBe(false);

    for (const odd of ["abc", "ABCD", "zz"]) {
      const malformed = structuredClone(genuine);
      malformed.solution.derivedKey = odd;
      expect(await altcha.redeem(REALM_A, encode(malformed))).toBe(false);
      const badPrefix = structuredClone(genuine);
      badPrefix.challenge.parameters.keyPrefix = odd;
      expect(await altcha.redeem(REALM_A, encode(badPrefix))).toBe(false);
    }

    // None of those spent the challenge: the genuine solution still passes, once.
    expect(await spentRow(challenge)).toBeUndefined();
    expect(await altcha.redeem(REALM_A, encode(genuine))).toBe(true);
  });

  it("refuses a challenge signed with another installation's key", async () => {
    const foreign = await service({ secret: "another-installation-secret-0123456789" });
    const altcha = await service();
    const payload = await solveAltcha(await foreign.challenge(REALM_A));
    expect(await altcha.redeem(REALM_A, payload)).toBe(false);
  });

  it("refuses an expired challenge", async () => {
    const clock = fixedClock(new Date());
    const altcha = await service({ clock });
    const payload = await solveAltcha(await altcha.challenge(REALM_A));
    clock.advance(10 * 60_000 + 1000);
    expect(await altcha.redeem(REALM_A, payload)).toBe(false);
  });

  it("refuses a challenge issued long ago even when the service clock says otherwise", async () => {
    // Issued 11 minutes ago: altcha-lib's own expiry check (wall clock) refuses it too.
    const past = fixedClock(new Date(Date.now() - 11 * 60_000));
    const issuer = await service({ clock: past });
    const payload = await solveAltcha(await issuer.challenge(REALM_A));
    const altcha = await service({ clock: fixedClock(new Date(Date.now() - 11 * 60_000 + 1000)) });
    expect(await altcha.redeem(REALM_A, payload)).toBe(false);
  });

  it.each([
    ["nothing", undefined],
    ["an empty string", ""],
    ["a number", 42],
    ["not base64 JSON", "%%%not-a-payload%%%"],
    ["the widget's test-mode payload", encode({ challenge: null, solution: null, test: true })],
    ["a v1 payload", encode({ algorithm: "SHA-256", challenge: "ab", number: 1, salt: "s", signature: "x" })],
    ["an oversized payload", "A".repeat(5000)],
  ])("refuses %s", async (_label, payload) => {
    const altcha = await service();
    expect(await altcha.redeem(REALM_A, payload)).toBe(false);
  });

  it("purges spent challenges some minutes after they expired", async () => {
    const clock = fixedClock(new Date());
    const altcha = await service({ clock });
    const old = await altcha.challenge(REALM_A);
    expect(await altcha.redeem(REALM_A, await solveAltcha(old))).toBe(true);
    expect(await spentRow(old)).toBeDefined();

    clock.advance(16 * 60_000);
    const fresh = await altcha.challenge(REALM_A);
    expect(await altcha.redeem(REALM_A, await solveAltcha(fresh))).toBe(true);
    expect(await spentRow(old)).toBeUndefined();
    expect(await spentRow(fresh)).toBeDefined();
  });

  it("solves and redeems the production difficulty with altcha-lib's solver", async () => {
    const { db } = await testDb();
    const altcha = createAltcha({ db, clock: systemClock, secret: async () => SECRET });
    const challenge = await altcha.challenge(REALM_A);
    expect(challenge.parameters.cost).toBe(defaultDifficulty.cost);
    const started = performance.now();
    const payload = await solveAltcha(challenge);
    const counter = decode(payload).solution.counter;
    console.info(
      `ALTCHA production difficulty: counter ${counter}, ${Math.round(performance.now() - started)} ms in node`,
    );
    expect(counter).toBeGreaterThanOrEqual(defaultDifficulty.counterMin);
    expect(counter).toBeLessThanOrEqual(defaultDifficulty.counterMax);
    expect(await altcha.redeem(REALM_A, payload)).toBe(true);
  }, 60_000);

  it("a solution made with the altcha-lib payload helper and the widget's extra fields passes", async () => {
    const altcha = await service();
    const challenge = await altcha.challenge(REALM_A);
    const { solution } = decode(await solveAltcha(challenge));
    // The widget adds the solving time to the solution.
    const payload = altchaPayload(challenge, { ...solution, time: 812.4 });
    expect(await altcha.redeem(REALM_A, payload)).toBe(true);
  });
});

describe("ALTCHA guard (the check of a protected form)", () => {
  it("does nothing when the realm has ALTCHA off, and demands a redeemable payload when on", async () => {
    const altcha = await service();
    const off = { id: REALM_A, settings: { signup_altcha: false } };
    const on = { id: REALM_A, settings: { signup_altcha: true } };
    await expect(altcha.guard(off, undefined)).resolves.toBeUndefined();

    const refused = await altcha.guard(on, undefined).catch((error: unknown) => error);
    expect(isAppError(refused)).toBe(true);
    expect(refused).toMatchObject({
      code: "validation.failed",
      fields: [{ field: "altcha", code: "challenge.failed" }],
    });

    const payload = await solveAltcha(await altcha.challenge(REALM_A));
    await expect(altcha.guard(on, payload)).resolves.toBeUndefined();
    await expect(altcha.guard(on, payload)).rejects.toMatchObject({
      fields: [{ field: "altcha", code: "challenge.failed" }],
    });
  });
});

describe("installation secrets", () => {
  it("generate once and give every instance the same value", async () => {
    const { db } = await testDb();
    const name = `test_${Math.random().toString(36).slice(2)}`;
    const [a, b] = await Promise.all([
      createInstallationSecrets({ db }).get(name),
      createInstallationSecrets({ db }).get(name),
    ]);
    expect(a).toHaveLength(43); // 32 random bytes, base64url
    expect(b).toBe(a);
    expect(await createInstallationSecrets({ db }).get(name)).toBe(a);
    expect(await createInstallationSecrets({ db }).get(`${name}_other`)).not.toBe(a);
  });

  it("the services' ALTCHA key comes from the database unless the environment overrides it", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { signup_altcha: true });
    const challenge = await gh.altcha.challenge(realm.id);
    const payload = await solveAltcha(challenge);
    const { db } = await testDb();
    const withKey = createServices({ db, publicUrl: TEST_PUBLIC_URL, altchaHmacKey: "k".repeat(40) });
    expect(await withKey.altcha.redeem(realm.id, payload)).toBe(false);
    expect(await spentRow(challenge)).toBeUndefined();
    // Another process on the same database (same stored key) accepts it.
    const other = await testServices();
    expect(await other.altcha.redeem(realm.id, payload)).toBe(true);
  }, 60_000);
});
