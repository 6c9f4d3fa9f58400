import { createHash } from "node:crypto";
import { bcryptEngine } from "./bcrypt-engine";
import { hashBounds } from "./hash-bounds";
import { invalid, outOfBounds, type Parsed, parsed } from "./phc";
import { hashingSlots as slots } from "./slots";

/**
 * bcrypt reads at most 72 bytes of input and silently ignores the rest. We never truncate:
 * - a password of up to 72 UTF-8 bytes is hashed as is (a plain `$2b$` string, readable by any
 *   bcrypt library);
 * - a longer one is first reduced to base64(SHA-384), 64 ASCII bytes, and stored with the prefix
 *   `$gh-sha384$` so that verification knows to do the same;
 * - a candidate longer than 72 bytes never matches a plain `$2b$` hash, because bcrypt would
 *   compare only its first 72 bytes.
 */
export const BCRYPT_MAX_BYTES = 72;
const PREHASH_PREFIX = "$gh-sha384$";

function prehash(password: string): string {
  return createHash("sha384").update(password, "utf8").digest("base64");
}

function byteLength(password: string): number {
  return Buffer.byteLength(password, "utf8");
}

export function isBcryptHash(hash: string): boolean {
  return /^\$2[aby]\$\d\d\$/.test(hash) || hash.startsWith(PREHASH_PREFIX);
}

export function bcryptCost(hash: string): number | null {
  const match = /\$2[aby]\$(\d\d)\$/.exec(hash);
  return match ? Number(match[1]) : null;
}

export interface BcryptHash {
  kind: "bcrypt";
  cost: number;
  encoded: string;
}

const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;

/** A complete `$2a$/$2b$/$2y$` string (or our pre-hashed form of one) with a cost in bounds. */
export function parseBcrypt(encoded: string): Parsed<BcryptHash> {
  const inner = encoded.startsWith(PREHASH_PREFIX) ? encoded.slice(PREHASH_PREFIX.length) : encoded;
  const match = BCRYPT.exec(inner);
  if (!match) return invalid;
  const cost = Number(match[1]);
  if (cost < hashBounds.bcrypt.minCost || cost > hashBounds.bcrypt.maxCost) return outOfBounds;
  return parsed({ kind: "bcrypt", cost, encoded });
}

export async function hashBcrypt(password: string, cost: number): Promise<string> {
  const bcrypt = await bcryptEngine();
  if (byteLength(password) <= BCRYPT_MAX_BYTES) return slots.run(() => bcrypt.hash(password, cost));
  const inner = await slots.run(() => bcrypt.hash(prehash(password), cost));
  return PREHASH_PREFIX + inner;
}

export async function verifyBcrypt(password: string, stored: string): Promise<boolean> {
  const bcrypt = await bcryptEngine();
  // PHP's `$2y$` is the same algorithm as `$2b$` (both fixed crypt_blowfish's 8-bit bug), but the
  // native library reads only `$2a$` and `$2b$`.
  const hash = stored.startsWith("$2y$") ? `$2b$${stored.slice(4)}` : stored;
  if (hash.startsWith(PREHASH_PREFIX)) {
    const inner = hash.slice(PREHASH_PREFIX.length);
    return slots.run(() => bcrypt.compare(prehash(password), inner));
  }
  // Still spend the time, so that a long candidate is not distinguishable by speed.
  const tooLong = byteLength(password) > BCRYPT_MAX_BYTES;
  const matches = await slots.run(() => bcrypt.compare(tooLong ? prehash(password) : password, hash));
  return matches && !tooLong;
}
