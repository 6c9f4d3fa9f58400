import { Secret, TOTP } from "otpauth";

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
/** Codes of the previous and next step are accepted too (clock drift). */
export const TOTP_WINDOW = 1;

/** A new seed: 160 bits (RFC 4226's recommendation), base32 as the apps and the manual key show it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, labels: { issuer?: string; account?: string } = {}) {
  return new TOTP({
    issuer: labels.issuer,
    label: labels.account,
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(secret),
  });
}

/** The `otpauth://totp/…` URI behind the QR code. */
export function totpUri(secret: string, issuer: string, account: string): string {
  return totp(secret, { issuer, account }).toString();
}

/** The manual key in groups of four, as people type it: `JBSW Y3DP EHPK 3PXP …`. */
export function groupedKey(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

/** The time step (counter) of an instant. */
export const stepAt = (at: Date): number => Math.floor(at.getTime() / 1000 / TOTP_PERIOD);

/** The code of a secret at a time (tests, and nothing else). */
export function totpCode(secret: string, at: Date): string {
  return totp(secret).generate({ timestamp: at.getTime() });
}

/** Only six digits count; spaces and dashes people type in between are ignored. */
export function normalizeTotpCode(input: unknown): string | null {
  if (typeof input !== "string" || input.length > 32) return null;
  const code = input.replace(/[\s-]/g, "");
  return /^\d{6}$/.test(code) ? code : null;
}

/**
 * The absolute time step a code belongs to, within ±TOTP_WINDOW steps of `now`, or null. The
 * caller stores the step it accepted and refuses any step at or before it (no replay).
 */
export function matchTotpStep(secret: string, input: unknown, now: Date): number | null {
  const code = normalizeTotpCode(input);
  if (!code) return null;
  const delta = totp(secret).validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW });
  // otpauth returns the step offset (0 for the current step) or null: compare with null.
  return delta === null ? null : stepAt(now) + delta;
}
