import { type Argon2Hash, parseArgon2, verifyArgon2 } from "./argon2";
import { type BcryptHash, parseBcrypt, verifyBcrypt } from "./bcrypt";
import { hashBounds } from "./hash-bounds";
import { type Pbkdf2Hash, parseDjangoPbkdf2, parsePhcPbkdf2, verifyPbkdf2 } from "./pbkdf2";
import { invalid, type Parsed, refused } from "./phc";
import { parseScrypt, type ScryptHash, verifyScrypt } from "./scrypt";

/** A stored or imported password hash, parsed once into checked parameters. */
export type PasswordHash = BcryptHash | Argon2Hash | ScryptHash | Pbkdf2Hash;

const parsers: Array<[prefix: string, parse: (encoded: string) => Parsed<PasswordHash>]> = [
  ["$2a$", parseBcrypt],
  ["$2b$", parseBcrypt],
  ["$2y$", parseBcrypt],
  ["$gh-sha384$", parseBcrypt],
  ["$argon2id$", parseArgon2],
  ["$scrypt$", parseScrypt],
  ["$pbkdf2-sha256$", parsePhcPbkdf2],
  ["$pbkdf2-sha512$", parsePhcPbkdf2],
  ["pbkdf2_sha256$", parseDjangoPbkdf2],
  ["pbkdf2_sha512$", parseDjangoPbkdf2],
];

/** `$name$…` (modular crypt / PHC) or `name$…` (Django): the shape of a hash of some algorithm. */
const NAMED_ALGORITHM = /^(?:\$[a-z0-9-]{1,32}\$|[a-z0-9_]{1,32}\$)/i;

/**
 * Parses a hash by its prefix, checking its cost against hashBounds. Never throws; a refused hash
 * says why: unparseable (`password.hash_invalid`), an algorithm or variant we do not verify
 * (`password.hash_unsupported`: argon2i/d, PBKDF2-SHA1, MD5-crypt, `$2x$` …), or parameters outside
 * the bounds (`password.hash_cost_out_of_bounds`).
 */
export function parsePasswordHash(encoded: string): Parsed<PasswordHash> {
  if (encoded.length > hashBounds.maxEncodedLength) return invalid;
  for (const [prefix, parse] of parsers) if (encoded.startsWith(prefix)) return parse(encoded);
  return NAMED_ALGORITHM.test(encoded) ? refused("password.hash_unsupported") : invalid;
}

export function verifyPasswordHash(password: string, stored: PasswordHash): Promise<boolean> {
  switch (stored.kind) {
    case "bcrypt":
      return verifyBcrypt(password, stored.encoded);
    case "argon2id":
      return verifyArgon2(password, stored);
    case "scrypt":
      return verifyScrypt(password, stored);
    case "pbkdf2":
      return verifyPbkdf2(password, stored);
  }
}
