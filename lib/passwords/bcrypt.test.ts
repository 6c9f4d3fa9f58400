import bcrypt from "bcrypt";
import { describe, expect, it } from "vitest";
import { BCRYPT_MAX_BYTES, bcryptCost, hashBcrypt, isBcryptHash, verifyBcrypt } from "./bcrypt";

const COST = 4;
const bytes = (s: string) => Buffer.byteLength(s, "utf8");

describe("bcrypt with no silent truncation", () => {
  it("hashes a password of exactly 72 bytes as a plain bcrypt hash and verifies it", async () => {
    const password = "p".repeat(BCRYPT_MAX_BYTES);
    const hash = await hashBcrypt(password, COST);
    expect(hash).toMatch(/^\$2b\$04\$/);
    expect(await verifyBcrypt(password, hash)).toBe(true);
    expect(await verifyBcrypt(password.slice(1), hash)).toBe(false);
  });

  it("pre-hashes a 73-byte password under the $gh-sha384$ prefix and verifies it", async () => {
    const password = "p".repeat(BCRYPT_MAX_BYTES + 1);
    const hash = await hashBcrypt(password, COST);
    expect(hash).toMatch(/^\$gh-sha384\$\$2b\$04\$/);
    expect(await verifyBcrypt(password, hash)).toBe(true);
    expect(await verifyBcrypt(password.slice(0, BCRYPT_MAX_BYTES), hash)).toBe(false);
  });

  it("tells apart two long passwords that share their first 72 bytes", async () => {
    const common = "correct horse battery staple ".repeat(3).slice(0, BCRYPT_MAX_BYTES);
    const first = `${common}-first`;
    const second = `${common}-second`;
    // Plain bcrypt would call these equal: that is what the wrapper exists to prevent.
    const naive = await bcrypt.hash(first, COST);
    expect(await bcrypt.compare(second, naive)).toBe(true);

    const hash = await hashBcrypt(first, COST);
    expect(await verifyBcrypt(first, hash)).toBe(true);
    expect(await verifyBcrypt(second, hash)).toBe(false);
    expect(await verifyBcrypt(common, hash)).toBe(false);
  });

  it("never matches a long candidate against a plain $2b$ hash of its first 72 bytes", async () => {
    const prefix = "x".repeat(BCRYPT_MAX_BYTES);
    const plain = await bcrypt.hash(prefix, COST);
    expect(await bcrypt.compare(`${prefix}anything`, plain)).toBe(true); // bcrypt itself truncates
    expect(await verifyBcrypt(`${prefix}anything`, plain)).toBe(false);
    expect(await verifyBcrypt(`${prefix}y`, plain)).toBe(false);
    expect(await verifyBcrypt(prefix, plain)).toBe(true);
  });

  it("counts UTF-8 bytes, not characters", async () => {
    const key = "🔑"; // 4 bytes, 2 UTF-16 code units
    const eighteen = key.repeat(18); // 72 bytes
    const nineteen = key.repeat(19); // 76 bytes, only 38 UTF-16 units
    expect(bytes(eighteen)).toBe(72);
    expect(bytes(nineteen)).toBe(76);
    const h18 = await hashBcrypt(eighteen, COST);
    const h19 = await hashBcrypt(nineteen, COST);
    expect(h18).toMatch(/^\$2b\$/);
    expect(h19).toMatch(/^\$gh-sha384\$/);
    expect(await verifyBcrypt(eighteen, h18)).toBe(true);
    expect(await verifyBcrypt(nineteen, h19)).toBe(true);
    expect(await verifyBcrypt(eighteen, h19)).toBe(false);
    expect(await verifyBcrypt(`${eighteen}🔒`, h18)).toBe(false);

    const accented = `${"a".repeat(71)}é`; // 71 characters + 1 = 72 characters, 73 bytes
    expect(await hashBcrypt(accented, COST)).toMatch(/^\$gh-sha384\$/);
    expect(await hashBcrypt(`${"a".repeat(70)}é`, COST)).toMatch(/^\$2b\$/);
  });

  it("verifies hashes made by other bcrypt libraries ($2a$)", async () => {
    const hash = await bcrypt.hash("hunter22", await bcrypt.genSalt(COST, "a"));
    expect(hash).toMatch(/^\$2a\$04\$/);
    expect(isBcryptHash(hash)).toBe(true);
    expect(await verifyBcrypt("hunter22", hash)).toBe(true);
    expect(await verifyBcrypt("hunter23", hash)).toBe(false);
  });
});

describe("isBcryptHash and bcryptCost", () => {
  it("recognises bcrypt and pre-hashed strings only", () => {
    expect(isBcryptHash("$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234")).toBe(true);
    expect(isBcryptHash("$gh-sha384$$2b$12$x")).toBe(true);
    expect(isBcryptHash("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA")).toBe(false);
    expect(isBcryptHash("plaintext")).toBe(false);
    expect(isBcryptHash("")).toBe(false);
  });

  it("reads the cost, also through the prefix", () => {
    expect(bcryptCost("$2b$12$abc")).toBe(12);
    expect(bcryptCost("$gh-sha384$$2b$04$abc")).toBe(4);
    expect(bcryptCost("$argon2id$v=19")).toBeNull();
  });
});
