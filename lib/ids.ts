import { randomBytes } from "node:crypto";

/** Prefixes make logs and URLs explain themselves (DESIGN section 1). */
export type IdPrefix =
  | "rl"
  | "usr"
  | "org"
  | "mb"
  | "app"
  | "ses"
  | "flw"
  | "key"
  | "ak"
  | "ev"
  | "inv"
  | "pwh"
  | "em"
  | "ema"
  | "etk"
  | "rc"
  | "sp"
  | "idn";

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * `usr_01jd…`: 48 bits of milliseconds then 80 random bits, Crockford base32 (ULID layout, lower
 * case). Sorting by id sorts by creation time, which gives list endpoints a stable cursor.
 */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(10);
  let random = "";
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      random += CROCKFORD[(acc >> bits) & 31];
    }
  }
  return `${prefix}_${time}${random}`;
}

export function hasPrefix(id: string, prefix: IdPrefix): boolean {
  return id.startsWith(`${prefix}_`);
}
