import { timingSafeEqual } from "node:crypto";
import { hashBounds } from "./hash-bounds";

/** Why an imported hash is refused; each is a field error code of the catalogue. */
export type HashProblem =
  | "password.hash_invalid"
  | "password.hash_unsupported"
  | "password.hash_cost_out_of_bounds";

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: HashProblem };

export const parsed = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const refused = (problem: HashProblem): Parsed<never> => ({ ok: false, problem });
export const invalid = refused("password.hash_invalid");
export const outOfBounds = refused("password.hash_cost_out_of_bounds");

/** A decimal without sign or leading zeros, at most 10 digits: one spelling per number. */
export function decimal(text: string | undefined): number | null {
  if (text === undefined || !/^(?:0|[1-9]\d{0,9})$/.test(text)) return null;
  return Number(text);
}

/**
 * A PHC parameter list with exactly these keys in this order (`m=65536,t=3,p=4`), each a decimal.
 * Optional keys may be left out. Anything else is refused: a parameter we would not read must not
 * be silently ignored.
 */
export function phcParams<K extends string>(
  text: string,
  keys: readonly K[],
  optional: readonly K[] = [],
): Record<K, number | undefined> | null {
  const pairs = text.split(",").map((pair) => pair.split("="));
  const out = {} as Record<K, number | undefined>;
  let i = 0;
  for (const key of keys) {
    const pair = pairs[i];
    if (pair?.[0] === key && pair.length === 2) {
      const value = decimal(pair[1]);
      if (value === null) return null;
      out[key] = value;
      i++;
    } else if (!optional.includes(key)) {
      return null;
    }
  }
  return i === pairs.length ? out : null;
}

/** Standard base64 without padding (PHC's "B64"), canonical only: one spelling per byte string. */
export function decodeB64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*$/.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64").replace(/=+$/, "") === text ? bytes : null;
}

/** passlib's "adapted base64": `.` instead of `+`, no padding. */
export function decodeAb64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9./]*$/.test(text)) return null;
  return decodeB64(text.replaceAll(".", "+"));
}

/** Standard base64 with its padding (Django), canonical only. */
export function decodeBase64Padded(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? bytes : null;
}

/** Salt and hash lengths within hashBounds; a wrong length is a malformed hash, not a costly one. */
export function saltAndHashFit(salt: Buffer, hash: Buffer): boolean {
  const { salt: s, hash: h } = hashBounds;
  return salt.length >= s.min && salt.length <= s.max && hash.length >= h.min && hash.length <= h.max;
}

/** Constant-time equality of a computed and a stored hash (their lengths are public). */
export function equalBytes(computed: Buffer, stored: Buffer): boolean {
  return computed.length === stored.length && timingSafeEqual(computed, stored);
}
