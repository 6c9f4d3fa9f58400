import { type Algorithm, hashRaw, type Version } from "@node-rs/argon2";
import { hashBounds } from "./hash-bounds";
import {
  decimal,
  decodeB64,
  equalBytes,
  invalid,
  outOfBounds,
  type Parsed,
  parsed,
  phcParams,
  refused,
  saltAndHashFit,
} from "./phc";
import { hashingSlots } from "./slots";

/**
 * Argon2id in the PHC string format of the reference implementation (argon2-cffi, PHP, Django's
 * argon2 hasher after its `argon2` prefix, libsodium):
 * `$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>`, salt and hash in unpadded base64.
 * Only version 19 (0x13, the current one); no `keyid`/`data` parameters.
 */
export interface Argon2Hash {
  kind: "argon2id";
  memoryKib: number;
  passes: number;
  lanes: number;
  salt: Buffer;
  hash: Buffer;
}

// The package declares these as ambient const enums, which isolatedModules cannot read by name.
const ALGORITHM_ARGON2ID = 2 as Algorithm;
const VERSION_0X13 = 1 as Version;

export function parseArgon2(encoded: string): Parsed<Argon2Hash> {
  const [empty, name, ...rest] = encoded.split("$");
  if (empty !== "" || name !== "argon2id") return invalid;
  // Without `v=` the string is version 16 (0x10), which nobody should still be producing.
  if (rest.length === 3 && !rest[0]?.startsWith("v=")) return refused("password.hash_unsupported");
  if (rest.length !== 4) return invalid;
  const [version = "", params = "", saltText = "", hashText = ""] = rest;
  const versionNumber = decimal(version.slice(2));
  if (!version.startsWith("v=") || versionNumber === null) return invalid;
  if (versionNumber !== 19) return refused("password.hash_unsupported");
  const p = phcParams(params, ["m", "t", "p"] as const);
  const salt = decodeB64(saltText);
  const hash = decodeB64(hashText);
  if (!p || !salt || !hash || !saltAndHashFit(salt, hash)) return invalid;
  const { m = 0, t = 0, p: lanes = 0 } = p;
  const b = hashBounds.argon2;
  if (
    m < b.minMemoryKib ||
    m > b.maxMemoryKib ||
    t < b.minPasses ||
    t > b.maxPasses ||
    m * t > b.maxWorkKib ||
    lanes < b.minLanes ||
    lanes > b.maxLanes
  )
    return outOfBounds;
  return parsed({ kind: "argon2id", memoryKib: m, passes: t, lanes, salt, hash });
}

/** Recomputes the hash with exactly the checked parameters (never re-parsing the string). */
export async function verifyArgon2(password: string, stored: Argon2Hash): Promise<boolean> {
  const computed = await hashingSlots.run(() =>
    hashRaw(password, {
      algorithm: ALGORITHM_ARGON2ID,
      version: VERSION_0X13,
      memoryCost: stored.memoryKib,
      timeCost: stored.passes,
      parallelism: stored.lanes,
      outputLen: stored.hash.length,
      salt: stored.salt,
    }),
  );
  return equalBytes(computed, stored.hash);
}
