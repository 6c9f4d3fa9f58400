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

/** One kind of value sealed with the key ring (TOTP seeds, social providers' client secrets). */
export interface SealedValues {
  /** What they are, in messages: "TOTP seed(s)". */
  what: string;
  keyUsage(realmId?: string): Promise<Map<string, number>>;
  reencryptStale(realmId?: string): Promise<number>;
}

export const totpSeeds = (mfa: Pick<Mfa, "keyUsage" | "reencryptStale">): SealedValues => ({
  what: "TOTP seed(s)",
  keyUsage: mfa.keyUsage,
  reencryptStale: mfa.reencryptStale,
});

/** Values sealed with keys the ring does not have: they cannot be read, so nothing may proceed. */
export class MissingKeyError extends Error {
  /** Key id, count and (default "TOTP seed(s)") what those values are. */
  constructor(readonly missing: Array<[string, number] | [string, number, string]>) {
    super(
      `${missing.map(([id, n, what]) => `${n} ${what ?? "TOTP seed(s)"} are sealed with key "${id}"`).join(", ")}, which ${
        new Set(missing.map(([id]) => id)).size === 1 ? "is" : "are"
      } not in GATEHOUSE_ENCRYPTION_KEYS. Put the old key back (after the new one) and run this again.`,
    );
    this.name = "MissingKeyError";
  }
}

/**
 * The operator's rotation step (`npm run keys:reencrypt`): checks that every key that sealed a
 * value of any kind is in the ring, before touching anything, then re-encrypts whatever an older
 * key sealed with the active one. Safe to run again (it then finds nothing to do) and, on
 * PostgreSQL, next to running servers: each row is rewritten only if it still holds the value
 * that was read.
 */
export async function reencryptAllWithActiveKey(
  sets: SealedValues[],
  ring: KeyRing,
  /** One realm only (tests); the command does the whole installation. */
  realmId?: string,
): Promise<Array<RotationReport & { what: string }>> {
  const before = await Promise.all(sets.map((set) => set.keyUsage(realmId)));
  const missing = sets.flatMap((set, i) =>
    [...(before[i] ?? [])]
      .filter(([id]) => !ring.ids.includes(id))
      .map(([id, n]): [string, number, string] => [id, n, set.what]),
  );
  if (missing.length) throw new MissingKeyError(missing);
  const reports = [];
  for (const [i, set] of sets.entries()) {
    const reencrypted = await set.reencryptStale(realmId);
    reports.push({
      what: set.what,
      activeKey: ring.activeId,
      reencrypted,
      before: before[i] ?? new Map(),
      after: await set.keyUsage(realmId),
    });
  }
  return reports;
}

/** {@link reencryptAllWithActiveKey} for TOTP seeds alone. */
export async function reencryptWithActiveKey(
  mfa: Mfa,
  ring: KeyRing,
  realmId?: string,
): Promise<RotationReport> {
  const [report] = await reencryptAllWithActiveKey([totpSeeds(mfa)], ring, realmId);
  if (!report) throw new Error("no report");
  const { what: _what, ...rest } = report;
  return rest;
}
