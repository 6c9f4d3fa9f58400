import { randomInt } from "node:crypto";
import { hashSecret } from "@/lib/crypto/secrets";

/** How many recovery codes a user gets at a time. */
export const RECOVERY_CODE_COUNT = 10;

// Crockford base32 without I, L, O, U: nothing to misread when copied from paper.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * A recovery code: 16 characters of base32 (80 bits), shown as `xxxx-xxxx-xxxx-xxxx`. With 80 bits,
 * a fast SHA-256 at rest is enough: a stolen table cannot be searched (unlike a password).
 */
export function newRecoveryCode(): string {
  let code = "";
  for (let i = 0; i < 16; i++) code += ALPHABET[randomInt(32)];
  return code.replace(/(.{4})(?=.)/g, "$1-");
}

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, newRecoveryCode);
}

/** Case, spaces and dashes do not matter; Crockford's look-alikes (o→0, i/l→1) are read as meant. */
export function normalizeRecoveryCode(input: unknown): string | null {
  if (typeof input !== "string" || input.length > 64) return null;
  const code = input.toLowerCase().replace(/[\s-]/g, "").replace(/o/g, "0").replace(/[il]/g, "1");
  return /^[0-9a-hjkmnp-tv-z]{16}$/.test(code) ? code : null;
}

/** What is stored for a code: the SHA-256 of its normalised form. */
export function hashRecoveryCode(input: unknown): string | null {
  const code = normalizeRecoveryCode(input);
  return code ? hashSecret(`recovery:${code}`) : null;
}
