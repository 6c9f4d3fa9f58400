import { describe, expect, it } from "vitest";
import { parseArgon2, verifyArgon2 } from "./argon2";

/**
 * Known vectors from the reference implementation, not from this code: the first is in
 * phc-winner-argon2's own test suite (src/test.c); all were (re)computed with Debian's `argon2`
 * command line tool, e.g. `echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32 -e`.
 */
const vectors = [
  ["password", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"],
  [
    "correct horse",
    "$argon2id$v=19$m=4096,t=3,p=2$c2FsdHlzYWx0MTIz$wbCRRsaZjnBtCqEfy/OYsqCoWSld37U5rVJhk7GK7Wo",
  ],
  ["pässwörd 🔑", "$argon2id$v=19$m=2048,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$sCLCmfFUFaSmd+hDv0ITgw"],
] as const;

function parse(encoded: string) {
  const result = parseArgon2(encoded);
  if (!result.ok) throw new Error(`refused: ${result.problem}`);
  return result.value;
}

// Memory-hard hashes on a shared, loaded machine: seconds, not milliseconds.
describe("argon2id (PHC strings)", { timeout: 30_000 }, () => {
  it.each(vectors)(
    "verifies the reference vector for %j and refuses near misses",
    async (password, encoded) => {
      const stored = parse(encoded);
      expect(await verifyArgon2(password, stored)).toBe(true);
      expect(await verifyArgon2(`${password} `, stored)).toBe(false);
      expect(await verifyArgon2(password.toUpperCase(), stored)).toBe(false);
      expect(await verifyArgon2("", stored)).toBe(false);
    },
  );

  it("reads the parameters it will compute with", () => {
    expect(parse(vectors[1][1])).toMatchObject({ kind: "argon2id", memoryKib: 4096, passes: 3, lanes: 2 });
    expect(parse(vectors[2][1]).hash).toHaveLength(16);
  });

  it("uses every parameter: the same hash under other parameters does not match", async () => {
    const [password, encoded] = vectors[1];
    for (const changed of [
      encoded.replace("m=4096", "m=4097"),
      encoded.replace("t=3", "t=2"),
      encoded.replace("p=2", "p=1"),
      encoded.replace("c2FsdHlzYWx0MTIz", "c2FsdHlzYWx0MTI0"),
    ]) {
      expect(await verifyArgon2(password, parse(changed)), changed).toBe(false);
    }
  });

  it.each([
    ["memory under 1 MiB", "$argon2id$v=19$m=1023,t=3,p=1"],
    ["memory over 128 MiB", "$argon2id$v=19$m=131073,t=1,p=1"],
    ["no passes", "$argon2id$v=19$m=4096,t=0,p=1"],
    ["more than 10 passes", "$argon2id$v=19$m=4096,t=11,p=1"],
    ["memory × passes over the budget", "$argon2id$v=19$m=131072,t=5,p=1"],
    ["no lanes", "$argon2id$v=19$m=4096,t=3,p=0"],
    ["more than 16 lanes", "$argon2id$v=19$m=4096,t=3,p=17"],
    ["RFC 9106's 2 GiB profile", "$argon2id$v=19$m=2097152,t=1,p=4"],
  ])("refuses %s as out of bounds", (_label, head) => {
    expect(parseArgon2(`${head}$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc`)).toEqual({
      ok: false,
      problem: "password.hash_cost_out_of_bounds",
    });
  });

  it("accepts the bounds themselves", () => {
    const tail = "$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    expect(parseArgon2(`$argon2id$v=19$m=1024,t=1,p=1${tail}`).ok).toBe(true);
    expect(parseArgon2(`$argon2id$v=19$m=131072,t=4,p=16${tail}`).ok).toBe(true);
    expect(parseArgon2(`$argon2id$v=19$m=52428,t=10,p=1${tail}`).ok).toBe(true);
  });

  it.each([
    [
      "a version other than 19",
      "$argon2id$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    ],
    [
      "no version (0x10)",
      "$argon2id$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    ],
  ])("refuses %s as unsupported", (_label, encoded) => {
    expect(parseArgon2(encoded)).toEqual({ ok: false, problem: "password.hash_unsupported" });
  });

  it.each([
    [
      "parameters in another order",
      "$argon2id$v=19$t=2,m=65536,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    ],
    [
      "an extra parameter",
      "$argon2id$v=19$m=65536,t=2,p=1,data=YQ$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    ],
    [
      "a missing parameter",
      "$argon2id$v=19$m=65536,t=2$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    ],
    [
      "a leading zero",
      "$argon2id$v=19$m=065536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    ],
    [
      "a padded salt",
      "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ=$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    ],
    [
      "a salt under 8 bytes",
      "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    ],
    ["a hash under 16 bytes", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm"],
    ["a missing hash", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ"],
    [
      "non-base64 characters",
      "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRP.c",
    ],
  ])("refuses %s as invalid", (_label, encoded) => {
    expect(parseArgon2(encoded)).toEqual({ ok: false, problem: "password.hash_invalid" });
  });
});
