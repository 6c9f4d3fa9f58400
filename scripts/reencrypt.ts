/**
 * `npm run keys:reencrypt`: after a new key was put first in GATEHOUSE_ENCRYPTION_KEYS, re-encrypts
 * every value sealed with an older key (TOTP seeds, social providers' client secrets), so that the
 * old key can be removed. Uses the environment's database (DATABASE_URL, or the PGlite directory:
 * stop the server first, one process per directory) and keys. Prints how many values it
 * re-encrypted; exits 1 naming any key id that sealed values but is missing from the environment.
 */
import { systemClock } from "@/lib/clock";
import { createEncryption } from "@/lib/crypto/encryption";
import { createInstallationSecrets } from "@/lib/crypto/installation-secrets";
import { openDatabase, targetFromEnv } from "@/lib/db";
import { env } from "@/lib/env";
import { createMfa } from "@/lib/mfa";
import { MissingKeyError, reencryptAllWithActiveKey, totpSeeds } from "@/lib/mfa/rotation";
import { createSocialProviders } from "@/lib/social/providers";
import { providerSecrets } from "@/lib/social/rotation";

const byKey = (usage: Map<string, number>) =>
  usage.size ? [...usage].map(([id, n]) => `${id}: ${n}`).join(", ") : "none";

async function main(): Promise<number> {
  const configured = env().GATEHOUSE_ENCRYPTION_KEYS;
  if (!configured) {
    console.error(
      "GATEHOUSE_ENCRYPTION_KEYS is not set: there is nothing to rotate to. Generate a key with `openssl rand -base64 32`, set GATEHOUSE_ENCRYPTION_KEYS=k1:<key>, and run this again.",
    );
    return 1;
  }
  const handle = await openDatabase(targetFromEnv());
  try {
    const encryption = createEncryption({
      configured,
      secrets: createInstallationSecrets({ db: handle.db }),
    });
    const ring = await encryption.ring();
    const deps = { db: handle.db, clock: systemClock, ring: async () => ring };
    const reports = await reencryptAllWithActiveKey(
      [totpSeeds(createMfa(deps)), providerSecrets(createSocialProviders(deps))],
      ring,
    );
    let left: string[] = [];
    for (const report of reports) {
      console.log(`${report.what} by key before: ${byKey(report.before)}`);
      console.log(`re-encrypted ${report.reencrypted} with key "${report.activeKey}"`);
      console.log(`${report.what} by key now: ${byKey(report.after)}`);
      left = [...left, ...[...report.after.keys()].filter((id) => id !== ring.activeId)];
    }
    console.log(
      left.length
        ? `still sealed with ${[...new Set(left)].join(", ")} (written meanwhile?): run this again before removing a key`
        : `every value uses "${ring.activeId}": older keys can be removed from GATEHOUSE_ENCRYPTION_KEYS`,
    );
    return 0;
  } catch (error) {
    if (error instanceof MissingKeyError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
