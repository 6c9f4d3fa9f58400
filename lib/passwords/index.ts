import { randomBytes } from "node:crypto";
import { hashBcrypt, verifyBcrypt } from "./bcrypt";
import { parsePasswordHash, verifyPasswordHash } from "./hash-formats";

export {
  type Admission,
  createAdmission,
  createLoginAdmission,
  defaultLoginQueue,
} from "./admission";
export { BCRYPT_MAX_BYTES } from "./bcrypt";
export { hashBounds } from "./hash-bounds";
export { type PasswordHash, parsePasswordHash } from "./hash-formats";
export { importedPasswordHashSchema } from "./imported-hash-schema";
export type { HashProblem } from "./phc";

export interface PasswordHasher {
  hash(password: string, cost: number): Promise<string>;
  /**
   * Compares a candidate with a stored hash in the time one real comparison takes. Reads every
   * format an import accepts (bcrypt, argon2id, scrypt, PBKDF2); a stored value that does not
   * parse within the bounds never matches and is never computed.
   */
  verify(password: string, hash: string): Promise<boolean>;
  /** Burns the time of a comparison at this cost, for accounts that do not exist. */
  verifyAgainstNothing(password: string, cost: number): Promise<void>;
  /** True unless the hash is bcrypt at exactly this cost: imported formats are all re-hashed. */
  needsRehash(hash: string, cost: number): boolean;
}

export function createPasswordHasher(): PasswordHasher {
  const dummies = new Map<number, Promise<string>>();
  const dummyFor = (cost: number) => {
    let dummy = dummies.get(cost);
    if (!dummy) {
      dummy = hashBcrypt(randomBytes(16).toString("hex"), cost);
      dummies.set(cost, dummy);
    }
    return dummy;
  };
  return {
    hash: hashBcrypt,
    async verify(password, hash) {
      const stored = parsePasswordHash(hash);
      return stored.ok ? verifyPasswordHash(password, stored.value) : false;
    },
    async verifyAgainstNothing(password, cost) {
      await verifyBcrypt(password, await dummyFor(cost));
    },
    needsRehash(hash, cost) {
      const stored = parsePasswordHash(hash);
      return !stored.ok || stored.value.kind !== "bcrypt" || stored.value.cost !== cost;
    },
  };
}
