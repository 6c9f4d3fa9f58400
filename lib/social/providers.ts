import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import type { Clock } from "@/lib/clock";
import type { KeyRing } from "@/lib/crypto/keyring";
import { type Db, tables } from "@/lib/db";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { ProviderConfig, ProviderKind, SocialProvider } from "./types";

/** A provider's settings as the API has validated them (lib/social/provider-input.ts). */
export interface ProviderFields {
  slug: string;
  kind: ProviderKind;
  displayName: string;
  clientId: string;
  /** The plain secret, encrypted before it is stored; `null` removes it (public clients, PKCE only). */
  clientSecret?: string | null;
  scopes: string[];
  config: ProviderConfig;
  enabled: boolean;
  position: number;
}

type Row = typeof tables.socialProviders.$inferSelect;

/** The context a client secret is encrypted for: a ciphertext copied to another provider does not open. */
const sealContext = (realmId: string, providerId: string) => `social:${realmId}:${providerId}`;

function toProvider(row: Row): SocialProvider {
  return {
    realmId: row.realmId,
    id: row.id,
    slug: row.slug,
    kind: row.kind as ProviderKind,
    displayName: row.displayName,
    clientId: row.clientId,
    hasClientSecret: row.clientSecretSealed !== null,
    scopes: row.scopes,
    config: row.config as ProviderConfig,
    enabled: row.enabled,
    position: row.position,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * A realm's upstream identity providers (issue 6). Client secrets are sealed with the key ring and
 * opened only for a token request; nothing here returns them to a caller that renders or serialises.
 */
export function createSocialProviders({
  db,
  clock,
  ring,
}: {
  db: Db;
  clock: Clock;
  ring: () => Promise<KeyRing>;
}) {
  const p = tables.socialProviders;
  const byId = (realmId: string, id: string) => and(eq(p.realmId, realmId), eq(p.id, id));

  async function seal(realmId: string, id: string, secret: string | null | undefined) {
    if (secret === undefined || secret === null) return secret;
    return (await ring()).encrypt(secret, sealContext(realmId, id));
  }

  async function keyUsage(realmId?: string): Promise<Map<string, number>> {
    const keyId = sql<string>`split_part(${p.clientSecretSealed}, '.', 2)`;
    const rows = await db
      .select({ keyId, n: sql<number>`count(*)::int` })
      .from(p)
      .where(and(isNotNull(p.clientSecretSealed), realmId ? eq(p.realmId, realmId) : undefined))
      .groupBy(keyId);
    return new Map(rows.map((row) => [row.keyId, row.n]));
  }

  function slugTaken(error: unknown): never {
    if (isUniqueViolation(error, "social_providers_realm_slug_key"))
      throw new AppError("social.slug_taken", { fields: [{ field: "slug", code: "social.slug_taken" }] });
    throw error;
  }

  return {
    /** The realm's providers in button order; `enabledOnly` for the login page. */
    async list(realmId: string, options: { enabledOnly?: boolean } = {}): Promise<SocialProvider[]> {
      const rows = await db
        .select()
        .from(p)
        .where(
          options.enabledOnly ? and(eq(p.realmId, realmId), eq(p.enabled, true)) : eq(p.realmId, realmId),
        )
        .orderBy(asc(p.position), asc(p.createdAt), asc(p.id));
      return rows.map(toProvider);
    },

    async find(realmId: string, id: string): Promise<SocialProvider | null> {
      const [row] = await db.select().from(p).where(byId(realmId, id)).limit(1);
      return row ? toProvider(row) : null;
    },

    async findBySlug(realmId: string, slug: string): Promise<SocialProvider | null> {
      if (slug.length > 64) return null;
      const [row] = await db
        .select()
        .from(p)
        .where(and(eq(p.realmId, realmId), eq(p.slug, slug)))
        .limit(1);
      return row ? toProvider(row) : null;
    },

    async create(realmId: string, fields: ProviderFields): Promise<SocialProvider> {
      const id = newId("sp");
      const now = clock.now();
      try {
        const [row] = await db
          .insert(p)
          .values({
            realmId,
            id,
            slug: fields.slug,
            kind: fields.kind,
            displayName: fields.displayName,
            clientId: fields.clientId,
            clientSecretSealed: (await seal(realmId, id, fields.clientSecret)) ?? null,
            scopes: fields.scopes,
            config: fields.config as Record<string, unknown>,
            enabled: fields.enabled,
            position: fields.position,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        if (!row) throw new Error("insert returned no row");
        return toProvider(row);
      } catch (error) {
        slugTaken(error);
      }
    },

    /** Changes the given fields; `clientSecret` undefined keeps the stored secret. */
    async update(realmId: string, id: string, fields: Partial<ProviderFields>): Promise<SocialProvider> {
      const { clientSecret, config, ...rest } = fields;
      const sealed = await seal(realmId, id, clientSecret);
      try {
        const [row] = await db
          .update(p)
          .set({
            ...rest,
            ...(config ? { config: config as Record<string, unknown> } : {}),
            ...(sealed !== undefined ? { clientSecretSealed: sealed } : {}),
            updatedAt: clock.now(),
          })
          .where(byId(realmId, id))
          .returning();
        if (!row) throw new AppError("social.provider_not_found");
        return toProvider(row);
      } catch (error) {
        slugTaken(error);
      }
    },

    /** Deletes the provider and, with it, every identity linked through it. */
    async remove(realmId: string, id: string): Promise<SocialProvider> {
      const [row] = await db.delete(p).where(byId(realmId, id)).returning();
      if (!row) throw new AppError("social.provider_not_found");
      return toProvider(row);
    },

    /** How many client secrets each key sealed (key id → count; all realms or one), for key rotation. */
    keyUsage,

    /** Key ids that sealed client secrets but are not in the ring (with counts): those cannot be read. */
    async missingKeys(realmId?: string): Promise<Array<[string, number]>> {
      const ids = (await ring()).ids;
      return [...(await keyUsage(realmId))].filter(([id]) => !ids.includes(id));
    },

    /**
     * Re-encrypts client secrets sealed with an older key (after a new key was put first), each row
     * only if it still holds the value that was read. Returns how many.
     */
    async reencryptStale(realmId?: string): Promise<number> {
      const keys = await ring();
      const rows = await db
        .select({ realmId: p.realmId, id: p.id, sealed: p.clientSecretSealed })
        .from(p)
        .where(and(isNotNull(p.clientSecretSealed), realmId ? eq(p.realmId, realmId) : undefined));
      let count = 0;
      for (const row of rows) {
        if (!row.sealed || !keys.isStale(row.sealed)) continue;
        const context = sealContext(row.realmId, row.id);
        const sealed = keys.encrypt(keys.decrypt(row.sealed, context), context);
        await db
          .update(p)
          .set({ clientSecretSealed: sealed })
          .where(and(byId(row.realmId, row.id), eq(p.clientSecretSealed, row.sealed)));
        count++;
      }
      return count;
    },

    /** The client secret in plain text, for a token request only; null for a public client. */
    async clientSecret(provider: Pick<SocialProvider, "realmId" | "id">): Promise<string | null> {
      const [row] = await db
        .select({ sealed: p.clientSecretSealed })
        .from(p)
        .where(byId(provider.realmId, provider.id))
        .limit(1);
      if (!row?.sealed) return null;
      return (await ring()).decrypt(row.sealed, sealContext(provider.realmId, provider.id));
    },
  };
}

export type SocialProviders = ReturnType<typeof createSocialProviders>;
