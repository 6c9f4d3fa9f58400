import { describe, expect, it } from "vitest";
import { createPasswordHasher } from "./index";

const COST = 4;

describe("createPasswordHasher", () => {
  const hasher = createPasswordHasher();

  it("round-trips a password and refuses a wrong one", async () => {
    const hash = await hasher.hash("s3cret-passw0rd", COST);
    expect(hash).not.toContain("s3cret");
    expect(await hasher.verify("s3cret-passw0rd", hash)).toBe(true);
    expect(await hasher.verify("s3cret-passw0rD", hash)).toBe(false);
    expect(await hasher.verify("", hash)).toBe(false);
  });

  it("salts: the same password hashes differently each time", async () => {
    const [a, b] = await Promise.all([hasher.hash("same", COST), hasher.hash("same", COST)]);
    expect(a).not.toBe(b);
  });

  it("round-trips passwords past 72 bytes without truncating them", async () => {
    const long = `${"L".repeat(72)}tail-one`;
    const hash = await hasher.hash(long, COST);
    expect(hash.startsWith("$gh-sha384$")).toBe(true);
    expect(await hasher.verify(long, hash)).toBe(true);
    expect(await hasher.verify(`${"L".repeat(72)}tail-two`, hash)).toBe(false);
  });

  it.each([
    ["a plain-text stored value", "hunter22"],
    ["an empty string", ""],
    ["an argon2 hash", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"],
    ["a truncated bcrypt hash", "$2b$04$short"],
    ["a broken pre-hashed value", "$gh-sha384$garbage"],
  ])("returns false, without throwing, for %s", async (_label, stored) => {
    expect(await hasher.verify("hunter22", stored)).toBe(false);
  });

  it("asks for a rehash when the cost differs or the hash is foreign", async () => {
    const hash = await hasher.hash("pw", COST);
    const long = await hasher.hash("p".repeat(100), COST);
    expect(hasher.needsRehash(hash, COST)).toBe(false);
    expect(hasher.needsRehash(hash, 5)).toBe(true);
    expect(hasher.needsRehash(long, COST)).toBe(false);
    expect(hasher.needsRehash(long, 12)).toBe(true);
    expect(hasher.needsRehash("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", COST)).toBe(true);
  });

  it("verifyAgainstNothing resolves (and keeps resolving) for any input", async () => {
    await expect(hasher.verifyAgainstNothing("whatever", COST)).resolves.toBeUndefined();
    await expect(hasher.verifyAgainstNothing("x".repeat(300), COST)).resolves.toBeUndefined();
  });
});
