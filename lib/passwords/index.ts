import { randomBytes } from "node:crypto";
import { bcryptCost, hashBcrypt, isBcryptHash, verifyBcrypt } from "./bcrypt";

export { BCRYPT_MAX_BYTES } from "./bcrypt";

export interface PasswordHasher {
  hash(password: string, cost: number): Promise<string>;
  /** Compares a candidate with a stored hash in the time one real comparison takes. */
  verify(password: string, hash: string): Promise<boolean>;
  /** Burns the time of a comparison at this cost, for accounts that do not exist. */
  verifyAgainstNothing(password: string, cost: number): Promise<void>;
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
      if (!isBcryptHash(hash)) return false;
      return verifyBcrypt(password, hash);
    },
    async verifyAgainstNothing(password, cost) {
      await verifyBcrypt(password, await dummyFor(cost));
    },
    needsRehash(hash, cost) {
      return !isBcryptHash(hash) || bcryptCost(hash) !== cost;
    },
  };
}
