import { describe, expect, it } from "vitest";
import { parseScrypt, verifyScrypt } from "./scrypt";

/**
 * Known vectors computed outside this code: RFC 7914 section 12's third test vector
 * ("pleaseletmein" / "SodiumChloride", N=16384, r=8, p=1, 64 bytes) written as a PHC string, and
 * hashes made by Python's passlib 1.7.4 (`passlib.hash.scrypt.using(rounds=14).hash(...)`).
 */
const vectors = [
  [
    "pleaseletmein",
    "$scrypt$ln=14,r=8,p=1$U29kaXVtQ2hsb3JpZGU$cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofLVQylVYT8Pz2LUlwUkKpr55h6F3A1lHkDfzwF7RVdYhw",
  ],
  [
    "correct horse",
    "$scrypt$ln=14,r=8,p=1$IARAiLH2Xqs1hnBuba211g$JHqltyh9K24oXt1vqAsTuMTjheYqqpYhVNNo0xte0GA",
  ],
  ["pässwörd 🔑", "$scrypt$ln=12,r=4,p=2$c06JkTLGOOc8JwTAeI9RCg$kH4E9GORbZH9/TLWHCWmsryuGtjf4WnVGWUu+kbdS+c"],
] as const;

function parse(encoded: string) {
  const result = parseScrypt(encoded);
  if (!result.ok) throw new Error(`refused: ${result.problem}`);
  return result.value;
}

// Memory-hard hashes on a shared, loaded machine: seconds, not milliseconds.
describe("scrypt (passlib PHC strings)", { timeout: 30_000 }, () => {
  it.each(vectors)("verifies the known vector for %j and refuses near misses", async (password, encoded) => {
    const stored = parse(encoded);
    expect(await verifyScrypt(password, stored)).toBe(true);
    expect(await verifyScrypt(`${password}!`, stored)).toBe(false);
    expect(await verifyScrypt("", stored)).toBe(false);
  });

  it("matches the RFC 7914 derived key byte for byte", () => {
    expect(parse(vectors[0][1]).hash.toString("hex")).toBe(
      "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887",
    );
    expect(parse(vectors[0][1]).salt.toString()).toBe("SodiumChloride");
  });

  it("uses every parameter", async () => {
    const [password, encoded] = vectors[2];
    for (const changed of [
      encoded.replace("ln=12", "ln=11"),
      encoded.replace("r=4", "r=5"),
      encoded.replace("p=2", "p=1"),
    ]) {
      expect(await verifyScrypt(password, parse(changed)), changed).toBe(false);
    }
  });

  const tail = "$IARAiLH2Xqs1hnBuba211g$JHqltyh9K24oXt1vqAsTuMTjheYqqpYhVNNo0xte0GA";
  it.each([
    ["N under 2^10", "ln=9,r=8,p=1"],
    ["N over 2^20", "ln=21,r=1,p=1"],
    ["memory under 1 MiB", "ln=10,r=4,p=1"],
    ["memory over 128 MiB", "ln=18,r=8,p=1"],
    ["a block size over 32", "ln=10,r=33,p=1"],
    ["parallelism over 16", "ln=10,r=8,p=17"],
    ["work N·r·p over 2^20", "ln=16,r=8,p=3"],
  ])("refuses %s as out of bounds", (_label, params) => {
    expect(parseScrypt(`$scrypt$${params}${tail}`)).toEqual({
      ok: false,
      problem: "password.hash_cost_out_of_bounds",
    });
  });

  it("accepts passlib's default (ln=16) and RustCrypto's (ln=17)", () => {
    expect(parseScrypt(`$scrypt$ln=16,r=8,p=1${tail}`).ok).toBe(true);
    expect(parseScrypt(`$scrypt$ln=17,r=8,p=1${tail}`).ok).toBe(true);
  });

  it.each([
    ["parameters in another order", `$scrypt$r=8,ln=14,p=1${tail}`],
    ["a zero", `$scrypt$ln=14,r=0,p=1${tail}`],
    [
      "passlib's adapted base64",
      "$scrypt$ln=14,r=8,p=1$IARAiLH2Xqs1hnBuba211g$JHqltyh9K24oXt1vqAsTuMTjheYqqpYhVNNo0xte0GA..",
    ],
    ["no hash", "$scrypt$ln=14,r=8,p=1$IARAiLH2Xqs1hnBuba211g"],
    ["libsodium's $7$ format under the scrypt name", "$scrypt$$7$C6..../....SodiumChloride"],
  ])("refuses %s as invalid", (_label, encoded) => {
    expect(parseScrypt(encoded)).toEqual({ ok: false, problem: "password.hash_invalid" });
  });
});
