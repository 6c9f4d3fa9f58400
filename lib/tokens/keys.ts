import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, or } from "drizzle-orm";
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db";
import { tables } from "@/lib/db";
import { newId } from "@/lib/ids";

export type SigningAlg = "RS256" | "ES256" | "EdDSA" | "HS256";

export interface SigningKeyMaterial {
  alg: SigningAlg;
  publicJwk: JWK | null;
  privateJwk: JWK;
}

export async function generateKeyMaterial(alg: SigningAlg): Promise<SigningKeyMaterial> {
  if (alg === "HS256") {
    const k = randomBytes(32).toString("base64url");
    return { alg, publicJwk: null, privateJwk: { kty: "oct", k } };
  }
  const { publicKey, privateKey } = await generateKeyPair(alg, {
    extractable: true,
    crv: alg === "EdDSA" ? "Ed25519" : undefined,
  });
  return { alg, publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) };
}

export interface ActiveKey {
  kid: string;
  alg: SigningAlg;
  key: CryptoKey | Uint8Array;
}

export function createSigningKeys({ db, clock }: { db: Db; clock: Clock }) {
  // Imported keys are immutable per kid, so this cache never goes stale; only which kid is active
  // can change, and that is read from the database.
  const imported = new Map<string, Promise<CryptoKey | Uint8Array>>();
  const importPrivate = (kid: string, alg: SigningAlg, jwk: JWK) => {
    let key = imported.get(kid);
    if (!key) {
      key = importJWK(jwk, alg);
      imported.set(kid, key);
    }
    return key;
  };

  return {
    /** Creates a realm's first (active) key; runs inside the realm-creating transaction. */
    async create(tx: Db, realmId: string, alg: SigningAlg): Promise<string> {
      const material = await generateKeyMaterial(alg);
      const id = newId("key");
      await tx.insert(tables.signingKeys).values({
        realmId,
        id,
        alg,
        publicJwk: material.publicJwk as Record<string, unknown> | null,
        privateJwk: material.privateJwk as Record<string, unknown>,
      });
      return id;
    },

    async active(realmId: string): Promise<ActiveKey> {
      const [row] = await db
        .select({
          id: tables.signingKeys.id,
          alg: tables.signingKeys.alg,
          privateJwk: tables.signingKeys.privateJwk,
        })
        .from(tables.signingKeys)
        .where(and(eq(tables.signingKeys.realmId, realmId), eq(tables.signingKeys.status, "active")))
        .orderBy(tables.signingKeys.id)
        .limit(1);
      if (!row) throw new Error(`realm ${realmId} has no active signing key`);
      return { kid: row.id, alg: row.alg, key: await importPrivate(row.id, row.alg, row.privateJwk as JWK) };
    },

    /** Public keys a consumer may meet: the active one and retired ones whose tokens may still be live. */
    async jwks(realmId: string): Promise<{ keys: JWK[] }> {
      const rows = await db
        .select({
          id: tables.signingKeys.id,
          alg: tables.signingKeys.alg,
          publicJwk: tables.signingKeys.publicJwk,
        })
        .from(tables.signingKeys)
        .where(
          and(
            eq(tables.signingKeys.realmId, realmId),
            or(isNull(tables.signingKeys.expiresAt), gt(tables.signingKeys.expiresAt, clock.now())),
          ),
        )
        .orderBy(tables.signingKeys.id);
      const keys = rows
        .filter((r) => r.publicJwk)
        .map((r) => ({ ...(r.publicJwk as JWK), kid: r.id, alg: r.alg, use: "sig" }));
      return { keys };
    },
  };
}

export type SigningKeys = ReturnType<typeof createSigningKeys>;
