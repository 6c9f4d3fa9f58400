import { scrypt } from "node:crypto";
import { hashBounds } from "./hash-bounds";
import {
  decodeB64,
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
 * scrypt in passlib's PHC-style format (also RustCrypto's `scrypt` crate):
 * `$scrypt$ln=<log2 N>,r=<block size>,p=<parallelism>$<salt>$<hash>`, salt and hash in standard
 * base64 without padding; the salt is used as the decoded bytes.
 */
export interface ScryptHash {
  kind: "scrypt";
  log2N: number;
  blockSize: number;
  parallelism: number;
  salt: Buffer;
  hash: Buffer;
}

const SCRYPT = /^\$scrypt\$([^$]*)\$([^$]*)\$([^$]*)$/;

export function parseScrypt(encoded: string): Parsed<ScryptHash> {
  const match = SCRYPT.exec(encoded);
  if (!match) return invalid;
  const [, params = "", saltText = "", hashText = ""] = match;
  const p = phcParams(params, ["ln", "r", "p"] as const);
  const salt = decodeB64(saltText);
  const hash = decodeB64(hashText);
  if (!p || !salt || !hash || !saltAndHashFit(salt, hash)) return invalid;
  const { ln = 0, r = 0, p: parallelism = 0 } = p;
  if (ln < 1 || r < 1 || parallelism < 1) return invalid;
  const b = hashBounds.scrypt;
  if (ln < b.minLog2N || ln > b.maxLog2N || r > b.maxBlockSize || parallelism > b.maxParallelism)
    return outOfBounds;
  const memory = 128 * 2 ** ln * r;
  if (memory < b.minMemoryBytes || memory > b.maxMemoryBytes || 2 ** ln * r * parallelism > b.maxWork)
    return outOfBounds;
  return parsed({ kind: "scrypt", log2N: ln, blockSize: r, parallelism, salt, hash });
}

function scryptAsync(password: string, stored: ScryptHash): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      Buffer.from(password, "utf8"),
      stored.salt,
      stored.hash.length,
      {
        N: 2 ** stored.log2N,
        r: stored.blockSize,
        p: stored.parallelism,
        // The bounds were checked at parse time; this only lifts Node's 32 MiB default to them
        // (OpenSSL also counts a few blocks per lane on top of 128·N·r).
        maxmem: hashBounds.scrypt.maxMemoryBytes + 1024 * 1024,
      },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export async function verifyScrypt(password: string, stored: ScryptHash): Promise<boolean> {
  const computed = await hashingSlots.run(() => scryptAsync(password, stored));
  return equalBytes(computed, stored.hash);
}
