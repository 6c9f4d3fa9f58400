import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { constantTimeEqual, hashSecret, newSecret } from "./secrets";

describe("constantTimeEqual", () => {
  it("is true only for identical strings", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("", "")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "ABC")).toBe(false);
  });

  it("is false, without throwing, for different lengths", () => {
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
    expect(constantTimeEqual("abcd", "abc")).toBe(false);
    expect(constantTimeEqual("", "a")).toBe(false);
    expect(constantTimeEqual("a".repeat(10_000), "a".repeat(10_001))).toBe(false);
  });

  it("compares non-ASCII text by content", () => {
    expect(constantTimeEqual("päss🔑", "päss🔑")).toBe(true);
    expect(constantTimeEqual("päss🔑", "pass🔑")).toBe(false);
  });
});

describe("hashSecret", () => {
  it("is the stable lower-case hex SHA-256 of the UTF-8 secret", () => {
    expect(hashSecret("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hashSecret("é")).toBe(createHash("sha256").update(Buffer.from("é", "utf8")).digest("hex"));
    expect(hashSecret("abc")).toBe(hashSecret("abc"));
    expect(hashSecret("abc")).not.toBe(hashSecret("abd"));
    expect(hashSecret(newSecret())).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("newSecret", () => {
  it("is 256 bits as 43 URL-safe base64 characters by default", () => {
    const secret = newSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, "base64url")).toHaveLength(32);
  });

  it("honours the byte count", () => {
    expect(newSecret(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newSecret(24)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it("never repeats over 1000 draws and uses the whole alphabet", () => {
    const secrets = Array.from({ length: 1000 }, () => newSecret());
    expect(new Set(secrets).size).toBe(1000);
    const chars = new Set(secrets.join(""));
    expect(chars.size).toBe(64);
  });
});
