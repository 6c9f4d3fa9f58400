import { describe, expect, it } from "vitest";
import { parsePasswordHash } from "./hash-formats";
import { createPasswordHasher } from "./index";

/**
 * bcrypt vectors from Openwall's crypt_blowfish test suite (also used by passlib and PHP), then
 * one known vector per other format (see argon2.test.ts, scrypt.test.ts, pbkdf2.test.ts for where
 * each comes from). Together they prove the dispatch by prefix in PasswordHasher.verify.
 */
const LONG =
  "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored";
const vectors = [
  ["bcrypt $2a$", "U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"],
  ["bcrypt $2y$", "U*U*", "$2y$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"],
  // Openwall's salt here really is all "X": a vector, not a placeholder.
  ["bcrypt $2a$ (other salt)", "U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a"],
  [
    "argon2id",
    "password",
    "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
  ],
  [
    "scrypt",
    "correct horse",
    "$scrypt$ln=14,r=8,p=1$IARAiLH2Xqs1hnBuba211g$JHqltyh9K24oXt1vqAsTuMTjheYqqpYhVNNo0xte0GA",
  ],
  [
    "Django PBKDF2-SHA256",
    "correct horse",
    "pbkdf2_sha256$12000$Xs2Qn8UaTfRNkDMZ2a8gYk$VSo11V0WmLqOtHOzETG9vPrDt4InNXVWWwwxKL1Vx7A=",
  ],
  [
    "Django-style PBKDF2-SHA512",
    "correct horse",
    "pbkdf2_sha512$20000$Xs2Qn8UaTfRNkDMZ2a8gYk$KXNBz+RVddKWLCSAsbqgKw7D7yrTf5MTRi+2S6OnqQDCUH2m3a61A1L3vQ8LG1HarpuL0Y3urMkWQvnXdZOPrg==",
  ],
  [
    "passlib PBKDF2-SHA256",
    "correct horse",
    "$pbkdf2-sha256$29000$./4Bc2FsdC1ieXRlcy0xNg$zU9f62H96j8XZV1xWvuYwM1aJwFG9MSkjybmkXk30YA",
  ],
  [
    "PHC PBKDF2-SHA512",
    "correct horse",
    "$pbkdf2-sha512$i=10000,l=64$cnVzdC1jcnlwdG8tc2FsdA$wXViCjtZOLISNKiG26chewxTmhVKelWbTtdp+00kBS3kB/J/TBswgpZ3c5LszGlBj68EKMnfncyDuomN0WIxtQ",
  ],
] as const;

// Memory-hard hashes on a shared, loaded machine: seconds, not milliseconds.
describe("PasswordHasher over imported formats", { timeout: 30_000 }, () => {
  const hasher = createPasswordHasher();

  it.each(vectors)(
    "%s: verifies the known vector and refuses a wrong password",
    async (_label, password, hash) => {
      expect(parsePasswordHash(hash).ok).toBe(true);
      expect(await hasher.verify(password, hash)).toBe(true);
      expect(await hasher.verify(`${password}x`, hash)).toBe(false);
      expect(await hasher.verify("", hash)).toBe(false);
    },
  );

  it.each(vectors)("%s: needs a rehash to bcrypt at the realm cost", (_label, _password, hash) => {
    expect(hasher.needsRehash(hash, 12)).toBe(true);
  });

  it("keeps bcrypt's 72-byte rule for imported hashes: a longer candidate never matches", async () => {
    // crypt_blowfish's vector was made from the long string, which bcrypt cut at 72 bytes.
    const hash = "$2y$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui";
    expect(await hasher.verify(LONG.slice(0, 72), hash)).toBe(true);
    expect(await hasher.verify(LONG, hash)).toBe(false);
  });

  it("asks no rehash of bcrypt at the realm cost, whatever its minor version", () => {
    expect(hasher.needsRehash(vectors[0][2], 5)).toBe(false);
    expect(hasher.needsRehash(vectors[1][2], 5)).toBe(false);
    expect(hasher.needsRehash(vectors[1][2], 4)).toBe(true);
  });

  it("never computes a stored hash whose cost is out of bounds (answers false at once)", async () => {
    const started = performance.now();
    const bombs = [
      "pbkdf2_sha256$4000000000$Xs2Qn8UaTfRNkDMZ2a8gYk$VSo11V0WmLqOtHOzETG9vPrDt4InNXVWWwwxKL1Vx7A=",
      "$argon2id$v=19$m=4194304,t=100,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
      "$scrypt$ln=30,r=8,p=1$IARAiLH2Xqs1hnBuba211g$JHqltyh9K24oXt1vqAsTuMTjheYqqpYhVNNo0xte0GA",
      "$2b$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
    ];
    for (const bomb of bombs) {
      expect(parsePasswordHash(bomb)).toEqual({ ok: false, problem: "password.hash_cost_out_of_bounds" });
      expect(await hasher.verify("password", bomb)).toBe(false);
    }
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe("parsePasswordHash", () => {
  it.each([
    ["bcrypt cost 3", "$2b$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"],
    ["bcrypt cost 16", "$2b$16$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"],
  ])("refuses %s as out of bounds", (_label, hash) => {
    expect(parsePasswordHash(hash)).toEqual({ ok: false, problem: "password.hash_cost_out_of_bounds" });
  });

  it("accepts bcrypt from cost 4 to 15 and Gatehouse's own pre-hashed form", () => {
    const tail = "$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
    expect(parsePasswordHash(`$2b$04${tail}`)).toMatchObject({
      ok: true,
      value: { kind: "bcrypt", cost: 4 },
    });
    expect(parsePasswordHash(`$2b$15${tail}`)).toMatchObject({ ok: true, value: { cost: 15 } });
    expect(parsePasswordHash(`$gh-sha384$$2b$10${tail}`)).toMatchObject({ ok: true, value: { cost: 10 } });
  });

  it.each([
    ["argon2i", "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA"],
    ["argon2d", "$argon2d$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$2+JCoQtY/2x5F0VB9pEVP3xBNguWP1T25Ui0PtZuk8o"],
    [
      "bcrypt $2x$ (the buggy crypt_blowfish variant)",
      "$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e",
    ],
    ["MD5-crypt", "$1$saltsalt$2vnaRpHa6Jxjz5n83ok8Z0"],
    [
      "SHA-512-crypt",
      "$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/",
    ],
    ["passlib PBKDF2-SHA1", "$pbkdf2$1212$OB.dtnSEXZK8U5cgxU/GYQ$y5LKPOplRmok7CZp/aqVDVg8zGI"],
    ["Django PBKDF2-SHA1", "pbkdf2_sha1$260000$saltsaltsalt$Zm9vYmFyYmF6cXV4"],
    [
      "Django's argon2 wrapper",
      "argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    ],
    ["Django's unsalted MD5", "unsalted_md5$$5f4dcc3b5aa765d61d8327deb882cf99"],
  ])("refuses %s as unsupported", (_label, hash) => {
    expect(parsePasswordHash(hash)).toEqual({ ok: false, problem: "password.hash_unsupported" });
  });

  it.each([
    ["plain text", "hunter22"],
    ["an empty string", ""],
    ["a bare MD5 hex digest", "5f4dcc3b5aa765d61d8327deb882cf99"],
    ["a truncated bcrypt hash", "$2b$10$short"],
    ["bcrypt with a non-numeric cost", "$2b$1a$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"],
    ["a pre-hashed wrapper around garbage", "$gh-sha384$garbage"],
    ["anything over 512 characters", `$2b$10$${"C".repeat(600)}`],
    ["surrounding whitespace", " $2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"],
  ])("refuses %s as invalid", (_label, hash) => {
    expect(parsePasswordHash(hash)).toEqual({ ok: false, problem: "password.hash_invalid" });
  });
});
