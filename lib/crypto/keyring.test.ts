import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createKeyRing, parseKeyRing } from "./keyring";

const key = () => randomBytes(32).toString("base64");

describe("key ring", () => {
  it("round-trips a secret bound to its context", () => {
    const ring = createKeyRing(parseKeyRing(`k1:${key()}`));
    const sealed = ring.encrypt("JBSWY3DPEHPK3PXP", "totp:rl_1:usr_1");
    expect(sealed).toMatch(/^gh1\.k1\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(ring.decrypt(sealed, "totp:rl_1:usr_1")).toBe("JBSWY3DPEHPK3PXP");
    // Same plaintext, fresh IV: never the same ciphertext twice.
    expect(ring.encrypt("JBSWY3DPEHPK3PXP", "totp:rl_1:usr_1")).not.toBe(sealed);
  });

  it("refuses a ciphertext moved to another context or tampered with", () => {
    const ring = createKeyRing(parseKeyRing(`k1:${key()}`));
    const sealed = ring.encrypt("seed", "totp:rl_1:usr_1");
    expect(() => ring.decrypt(sealed, "totp:rl_1:usr_2")).toThrow();
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3] ?? "", "base64url");
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString("base64url");
    expect(() => ring.decrypt(parts.join("."), "totp:rl_1:usr_1")).toThrow();
    expect(() => ring.decrypt("plain text", "totp:rl_1:usr_1")).toThrow(/not a sealed value/);
  });

  it("rotates: a new key in front encrypts, the old one still decrypts, and stale values are found", () => {
    const old = `k1:${key()}`;
    const before = createKeyRing(parseKeyRing(old));
    const sealed = before.encrypt("seed", "ctx");
    const after = createKeyRing(parseKeyRing(`k2:${key()},${old}`));
    expect(after.decrypt(sealed, "ctx")).toBe("seed");
    expect(after.isStale(sealed)).toBe(true);
    const fresh = after.encrypt("seed", "ctx");
    expect(fresh.startsWith("gh1.k2.")).toBe(true);
    expect(after.isStale(fresh)).toBe(false);
    // Dropping the old key too early is an error that names the missing key.
    const dropped = createKeyRing(parseKeyRing(`k2:${key()}`));
    expect(() => dropped.decrypt(sealed, "ctx")).toThrow(/key "k1"/);
  });

  it("parses the environment strictly", () => {
    expect(() => parseKeyRing("")).toThrow(/no key/);
    expect(() => parseKeyRing("k1:c2hvcnQ=")).toThrow(/32 bytes/);
    expect(() => parseKeyRing(key())).toThrow(/id:base64/);
    expect(() => parseKeyRing(`a b:${key()}`)).toThrow(/key id/);
    const k = key();
    expect(() => parseKeyRing(`k1:${k},k1:${k}`)).toThrow(/unique/);
    expect(parseKeyRing(`k1:${randomBytes(32).toString("base64url")}`)[0]?.id).toBe("k1");
  });
});
