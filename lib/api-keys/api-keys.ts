import { and, eq, gt } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "@/lib/clock";
import { constantTimeEqual, hashSecret, newSecret } from "@/lib/crypto/secrets";
import { type Db, tables } from "@/lib/db";
import { AppError, parseOrThrow } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { type PageQuery, toPage } from "@/lib/pagination";

export const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1, "field.required").max(100, "field.too_long"),
});

export type ApiKey = Omit<typeof tables.apiKeys.$inferSelect, "keyHash">;

/** Who is calling the management API. */
export type ApiPrincipal = { kind: "installation" } | { kind: "realm"; realmId: string; keyId: string };

const KEY_PREFIX = "ks_";

/** Every column but the hash: what may leave this module. */
const publicColumns = {
  realmId: tables.apiKeys.realmId,
  id: tables.apiKeys.id,
  name: tables.apiKeys.name,
  lastUsedAt: tables.apiKeys.lastUsedAt,
  createdAt: tables.apiKeys.createdAt,
};

export function createApiKeys({ db, clock, bootstrapKey }: { db: Db; clock: Clock; bootstrapKey?: string }) {
  const k = tables.apiKeys;
  return {
    /** Reads `Authorization: Bearer <key>`; throws 401 for anything but a known key. */
    async authenticate(authorization: string | null): Promise<ApiPrincipal> {
      if (!authorization) throw new AppError("auth.missing_api_key");
      const match = /^Bearer\s+(\S{1,256})$/i.exec(authorization.trim());
      if (!match?.[1]) throw new AppError("auth.missing_api_key");
      const presented = match[1];
      if (bootstrapKey && constantTimeEqual(presented, bootstrapKey)) return { kind: "installation" };
      if (!presented.startsWith(KEY_PREFIX)) throw new AppError("auth.invalid_api_key");
      const [row] = await db
        .select({ realmId: k.realmId, id: k.id })
        .from(k)
        .where(eq(k.keyHash, hashSecret(presented)))
        .limit(1);
      if (!row) throw new AppError("auth.invalid_api_key");
      await db
        .update(k)
        .set({ lastUsedAt: clock.now() })
        .where(and(eq(k.realmId, row.realmId), eq(k.id, row.id)));
      return { kind: "realm", realmId: row.realmId, keyId: row.id };
    },

    /** A realm-scoped key; the secret is returned once and stored only as a hash. */
    async create(realmId: string, name: string): Promise<{ id: string; secret: string }> {
      const secret = KEY_PREFIX + newSecret(24);
      const id = newId("ak");
      await db.insert(k).values({ realmId, id, name, keyHash: hashSecret(secret) });
      return { id, secret };
    },

    /** The API's create: validated input, the row (without hash) and the secret, shown once. */
    async createFromInput(realmId: string, input: unknown): Promise<{ key: ApiKey; secret: string }> {
      const { name } = parseOrThrow(createApiKeySchema, input);
      const { id, secret } = await this.create(realmId, name);
      const [key] = await db
        .select(publicColumns)
        .from(k)
        .where(and(eq(k.realmId, realmId), eq(k.id, id)));
      if (!key) throw new Error("inserted key not found");
      return { key, secret };
    },

    async list(realmId: string, page: PageQuery) {
      const rows = await db
        .select(publicColumns)
        .from(k)
        .where(and(eq(k.realmId, realmId), page.after ? gt(k.id, page.after) : undefined))
        .orderBy(k.id)
        .limit(page.limit + 1);
      return toPage(rows, page.limit, (r) => r);
    },
  };
}

export function canAccessRealm(principal: ApiPrincipal, realmId: string): boolean {
  return principal.kind === "installation" || principal.realmId === realmId;
}

export type ApiKeys = ReturnType<typeof createApiKeys>;
