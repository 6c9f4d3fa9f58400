import type { InstallationSecrets } from "./installation-secrets";
import { createKeyRing, type KeyRing, parseKeyRing } from "./keyring";

/** The id of the key generated and stored in the database when no keys are configured. */
export const STORED_KEY_ID = "db1";

/**
 * The key ring of this installation: GATEHOUSE_ENCRYPTION_KEYS when set, else one key generated
 * once and kept in `installation_secrets` (then the ciphertexts and their key sit in the same
 * database, which is fine on a laptop and warned about in production).
 */
export function createEncryption(options: {
  configured?: string;
  secrets: InstallationSecrets;
  warn?: (message: string) => void;
}): { ring(): Promise<KeyRing> } {
  let ring: Promise<KeyRing> | undefined;
  return {
    ring() {
      ring ??= (async () => {
        if (options.configured) return createKeyRing(parseKeyRing(options.configured));
        options.warn?.(
          "GATEHOUSE_ENCRYPTION_KEYS is not set: secrets at rest are encrypted with a key stored in the same database.",
        );
        const stored = await options.secrets.get("encryption_key_db1");
        return createKeyRing([{ id: STORED_KEY_ID, key: Buffer.from(stored, "base64url") }]);
      })();
      ring.catch(() => {
        ring = undefined;
      });
      return ring;
    },
  };
}
