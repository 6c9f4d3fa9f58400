import type { KeyRing } from "@/lib/crypto/keyring";
import type { Mfa } from "./mfa";

export interface RotationReport {
  /** The key every value is encrypted with afterwards. */
  activeKey: string;
  /** How many values were re-encrypted with it now. */
  reencrypted: number;
  /** Key id → how many values it sealed, before and after. */
  before: Map<string, number>;
  after: Map<string, number>;
}

/** Values sealed with keys the ring does not have: they cannot be read, so nothing may proceed. */
export class MissingKeyError extends Error {
  constructor(readonly missing: Array<[string, number]>) {
    super(
      `${missing.map(([id, n]) => `${n} TOTP seed(s) are sealed with key "${id}"`).join(", ")}, which ${
        missing.length === 1 ? "is" : "are"
      } not in GATEHOUSE_ENCRYPTION_KEYS. Put the old key back (after the new one) and run this again.`,
    );
    this.name = "MissingKeyError";
  }
}

/**
 * The operator's rotation step (`npm run keys:reencrypt`): checks that every key that sealed a
 * value is in the ring, before touching anything, then re-encrypts whatever an older key sealed
 * with the active one. Safe to run again (it then finds nothing to do) and, on PostgreSQL, next to
 * running servers: each row is rewritten only if it still holds the value that was read.
 */
export async function reencryptWithActiveKey(
  mfa: Mfa,
  ring: KeyRing,
  /** One realm only (tests); the command does the whole installation. */
  realmId?: string,
): Promise<RotationReport> {
  const before = await mfa.keyUsage(realmId);
  const missing = [...before].filter(([id]) => !ring.ids.includes(id));
  if (missing.length) throw new MissingKeyError(missing);
  const reencrypted = await mfa.reencryptStale(realmId);
  return { activeKey: ring.activeId, reencrypted, before, after: await mfa.keyUsage(realmId) };
}
