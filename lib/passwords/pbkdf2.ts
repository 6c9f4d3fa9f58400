import { pbkdf2 } from "node:crypto";
import { hashBounds } from "./hash-bounds";
import {
  decimal,
  decodeAb64,
  decodeB64,
  decodeBase64Padded,
  equalBytes,
  invalid,
  outOfBounds,
  type Parsed,
  parsed,
  phcParams,
  saltAndHashFit,
} from "./phc";
import { hashingSlots } from "./slots";

/**
 * PBKDF2-HMAC-SHA256 / SHA512 in three spellings:
 * - Django: `pbkdf2_sha256$<iterations>$<salt>$<hash>`; the salt is the text itself (its UTF-8
 *   bytes), the hash is padded standard base64 of exactly the digest size (Django's
 *   PBKDF2PasswordHasher). `pbkdf2_sha512$…` is the same with SHA-512 and a 64-byte hash, as a
 *   Django hasher subclass with `digest = hashlib.sha512` produces.
 * - passlib: `$pbkdf2-sha256$<iterations>$<salt>$<hash>`, salt and hash in passlib's adapted
 *   base64 (`.` for `+`, no padding), the hash exactly the digest size.
 * - PHC (RustCrypto `pbkdf2`): `$pbkdf2-sha256$i=<iterations>[,l=<length>]$<salt>$<hash>`, salt
 *   and hash in unpadded standard base64; the hash is `l` bytes (default 32).
 */
export interface Pbkdf2Hash {
  kind: "pbkdf2";
  digest: "sha256" | "sha512";
  iterations: number;
  salt: Buffer;
  hash: Buffer;
}

const DIGEST_BYTES = { sha256: 32, sha512: 64 } as const;
const DJANGO = /^pbkdf2_(sha256|sha512)\$([^$]*)\$([^$]*)\$([^$]*)$/;
const PHC = /^\$pbkdf2-(sha256|sha512)\$([^$]*)\$([^$]*)\$([^$]*)$/;

function checked(
  digest: "sha256" | "sha512",
  iterations: number | null | undefined,
  salt: Buffer | null,
  hash: Buffer | null,
): Parsed<Pbkdf2Hash> {
  if (!iterations || !salt || !hash || !saltAndHashFit(salt, hash)) return invalid;
  const b = hashBounds.pbkdf2;
  const max = digest === "sha256" ? b.maxIterationsSha256 : b.maxIterationsSha512;
  if (iterations < b.minIterations || iterations > max) return outOfBounds;
  return parsed({ kind: "pbkdf2", digest, iterations, salt, hash });
}

export function parseDjangoPbkdf2(encoded: string): Parsed<Pbkdf2Hash> {
  const match = DJANGO.exec(encoded);
  if (!match) return invalid;
  const [, name, iterations, saltText = "", hashText = ""] = match;
  const digest = name as "sha256" | "sha512";
  const hash = decodeBase64Padded(hashText);
  if (hash && hash.length !== DIGEST_BYTES[digest]) return invalid;
  // Django salts are printable text; anything else is not a Django hash.
  const salt = /^[\x21-\x7e]+$/.test(saltText) ? Buffer.from(saltText, "utf8") : null;
  return checked(digest, decimal(iterations), salt, hash);
}

export function parsePhcPbkdf2(encoded: string): Parsed<Pbkdf2Hash> {
  const match = PHC.exec(encoded);
  if (!match) return invalid;
  const [, name, params = "", saltText = "", hashText = ""] = match;
  const digest = name as "sha256" | "sha512";
  if (/^\d+$/.test(params)) {
    const hash = decodeAb64(hashText);
    if (hash && hash.length !== DIGEST_BYTES[digest]) return invalid;
    return checked(digest, decimal(params), decodeAb64(saltText), hash);
  }
  const p = phcParams(params, ["i", "l"] as const, ["l"] as const);
  if (!p) return invalid;
  const hash = decodeB64(hashText);
  if (hash && hash.length !== (p.l ?? 32)) return invalid;
  return checked(digest, p.i, decodeB64(saltText), hash);
}

function pbkdf2Async(password: string, stored: Pbkdf2Hash): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pbkdf2(
      Buffer.from(password, "utf8"),
      stored.salt,
      stored.iterations,
      stored.hash.length,
      stored.digest,
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export async function verifyPbkdf2(password: string, stored: Pbkdf2Hash): Promise<boolean> {
  const computed = await hashingSlots.run(() => pbkdf2Async(password, stored));
  return equalBytes(computed, stored.hash);
}
