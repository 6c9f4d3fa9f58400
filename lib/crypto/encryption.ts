import type { InstallationSecrets } from "./installation-secrets";
import { createKeyRing, type KeyRing, parseKeyRing } from "./keyring";

/** The id of the key generated and stored in the database when no keys are configured. */
export const STORED_KEY_ID = "db1";
const STORED_SECRET = "encryption_key_db1";

/**
 * The key ring of this installation: GATEHOUSE_ENCRYPTION_KEYS when set, else one key generated
 * once and kept in `installation_secrets` (then the ciphertexts and their key sit in the same
 * database, which is fine on a laptop and warned about in production).
 *
 * Moving from the stored key to configured keys is a rotation like any other: while the stored key
 * exists it stays in the ring after the configured ones, for decryption only, until `npm run
 * keys:reencrypt` has moved every value to the first configured key (README, "Encryption keys").
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
        if (options.configured) {
          const keys = parseKeyRing(options.configured);
          const stored = keys.some((k) => k.id === STORED_KEY_ID)
            ? null
            : await options.secrets.find(STORED_SECRET);
          if (stored) keys.push({ id: STORED_KEY_ID, key: Buffer.from(stored, "base64url") });
          return createKeyRing(keys);
        }
        options.warn?.(
          "GATEHOUSE_ENCRYPTION_KEYS is not set: secrets at rest are encrypted with a key stored in the same database.",
        );
        const stored = await options.secrets.get(STORED_SECRET);
        return createKeyRing([{ id: STORED_KEY_ID, key: Buffer.from(stored, "base64url") }]);
      })();
      ring.catch(() => {
        ring = undefined;
      });
      return ring;
    },
  };
}
