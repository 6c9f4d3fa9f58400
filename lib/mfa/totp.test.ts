import { describe, expect, it } from "vitest";
import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from "./recovery-codes";
import { groupedKey, matchTotpStep, newTotpSecret, stepAt, totpCode, totpUri } from "./totp";

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" in base32.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("TOTP", () => {
  it("matches the RFC 6238 test vectors (6-digit truncation)", () => {
    expect(totpCode(RFC_SECRET, new Date(59_000))).toBe("287082");
    expect(totpCode(RFC_SECRET, new Date(1111111109_000))).toBe("081804");
    expect(totpCode(RFC_SECRET, new Date(2000000000_000))).toBe("279037");
  });

  it("accepts the current, previous and next step and names the step it matched", () => {
    const secret = newTotpSecret();
    const now = new Date("2026-11-29T12:00:15Z");
    const step = stepAt(now);
    expect(matchTotpStep(secret, totpCode(secret, now), now)).toBe(step);
    expect(matchTotpStep(secret, totpCode(secret, new Date(now.getTime() - 30_000)), now)).toBe(step - 1);
    expect(matchTotpStep(secret, totpCode(secret, new Date(now.getTime() + 30_000)), now)).toBe(step + 1);
    expect(matchTotpStep(secret, totpCode(secret, new Date(now.getTime() - 60_000)), now)).toBeNull();
    expect(matchTotpStep(secret, totpCode(secret, new Date(now.getTime() + 60_000)), now)).toBeNull();
  });

  it("reads codes the way people type them and refuses anything else", () => {
    const secret = newTotpSecret();
    const now = new Date();
    const code = totpCode(secret, now);
    expect(matchTotpStep(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now)).not.toBeNull();
    for (const bad of ["", "12345", "1234567", "abcdef", null, 123456, "1".repeat(100)])
      expect(matchTotpStep(secret, bad, now)).toBeNull();
  });

  it("makes 160-bit seeds and an otpauth URI the apps read", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = new URL(totpUri(secret, "Acme Corp", "ada@example.com"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe(secret);
    expect(uri.searchParams.get("issuer")).toBe("Acme Corp");
    expect(uri.searchParams.get("algorithm")).toBe("SHA1");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");
    expect(groupedKey("ABCDEFGHIJ")).toBe("ABCD EFGH IJ");
  });
});

describe("recovery codes", () => {
  it("are ten distinct 80-bit codes, hashed in a normalised form", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
    const [code = ""] = codes;
    expect(hashRecoveryCode(code.toUpperCase().replace(/-/g, " "))).toBe(hashRecoveryCode(code));
    expect(hashRecoveryCode(code)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("forgive look-alike letters and refuse malformed input", () => {
    expect(normalizeRecoveryCode("O1IL-abcd-efgh-jkmn")).toBe("0111abcdefghjkmn");
    for (const bad of ["", "short", "u".repeat(16), null, 42, "a".repeat(100)])
      expect(normalizeRecoveryCode(bad)).toBeNull();
  });
});
