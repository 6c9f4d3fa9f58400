import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Encryption at rest for secrets Gatehouse must read back (TOTP seeds, upstream OAuth client
 * secrets; DESIGN section 5): AES-256-GCM under a versioned key ring. The first key encrypts; every
 * key decrypts, so a new key can be put in front and old ciphertexts keep working until they are
 * re-encrypted. Each ciphertext names its key and is bound to a context (`totp:<realm>:<user>`) as
 * additional authenticated data, so a value copied to another row does not decrypt.
 *
 * Format: `gh1.<key id>.<iv>.<ciphertext+tag>` (base64url parts).
 */
export interface KeyRing {
  readonly activeId: string;
  /** Every key id of the ring, the active one first. */
  readonly ids: readonly string[];
  encrypt(plaintext: string, context: string): string;
  decrypt(sealed: string, context: string): string;
  /** Whether a ciphertext was made with an older key (to re-encrypt it). */
  isStale(sealed: string): boolean;
}

export interface RingKey {
  id: string;
  key: Buffer;
}

const PREFIX = "gh1";
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses `GATEHOUSE_ENCRYPTION_KEYS`: `id:base64key[,id:base64key…]`, each key 32 bytes in
 * base64 or base64url (`openssl rand -base64 32`). The first is the active key.
 */
export function parseKeyRing(value: string): RingKey[] {
  const keys = value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const colon = part.indexOf(":");
      if (colon < 1) throw new Error(`each key must be written id:base64 (got "${part.slice(0, 8)}…")`);
      const id = part.slice(0, colon);
      if (!KEY_ID.test(id)) throw new Error(`key id "${id}" must be 1–32 letters, digits, _ or -`);
      const key = Buffer.from(
        part
          .slice(colon + 1)
          .replace(/-/g, "+")
          .replace(/_/g, "/"),
        "base64",
      );
      if (key.length !== 32) throw new Error(`key "${id}" must be 32 bytes (openssl rand -base64 32)`);
      return { id, key };
    });
  if (!keys.length) throw new Error("no key given");
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new Error("key ids must be unique");
  return keys;
}

export function createKeyRing(keys: RingKey[]): KeyRing {
  const [active] = keys;
  if (!active) throw new Error("a key ring needs at least one key");
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  const keyIdOf = (sealed: string) => sealed.split(".")[1];
  return {
    activeId: active.id,
    ids: keys.map((k) => k.id),
    encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", active.key, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return [PREFIX, active.id, iv.toString("base64url"), body.toString("base64url")].join(".");
    },
    decrypt(sealed, context) {
      const [prefix, id, iv, body] = sealed.split(".");
      if (prefix !== PREFIX || !id || !iv || !body) throw new Error("not a sealed value");
      const key = byId.get(id);
      if (!key) throw new Error(`sealed with key "${id}", which is not in GATEHOUSE_ENCRYPTION_KEYS`);
      const raw = Buffer.from(body, "base64url");
      if (raw.length < 16) throw new Error("not a sealed value");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      return Buffer.concat([decipher.update(raw.subarray(0, raw.length - 16)), decipher.final()]).toString(
        "utf8",
      );
    },
    isStale(sealed) {
      return keyIdOf(sealed) !== active.id;
    },
  };
}
