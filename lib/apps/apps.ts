import { and, asc, eq, gt } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "@/lib/clock";
import { type Db, tables } from "@/lib/db";
import { AppError, parseOrThrow } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { type PageQuery, toPage } from "@/lib/pagination";
import { normalizeRedirectUri } from "./redirect-uri";

export type App = typeof tables.apps.$inferSelect;

const redirectUriSchema = z
  .string()
  .max(2048, "field.too_long")
  .transform((raw, ctx) => {
    const normalized = normalizeRedirectUri(raw.trim());
    if (!normalized) {
      ctx.addIssue({ code: "custom", message: "field.invalid" });
      return z.NEVER;
    }
    return normalized;
  });

export const createAppSchema = z.strictObject({
  name: z.string().trim().min(1, "field.required").max(100, "field.too_long"),
  redirect_uris: z.array(redirectUriSchema).min(1, "field.required").max(20, "field.too_long"),
  allow_subpaths: z.boolean().optional(),
});

export const updateAppSchema = createAppSchema.partial().strict();

/** What an app id can look like (`app_` and base32 from lib/ids.ts, or any other short word). */
const APP_ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

export function createApps({ db, clock }: { db: Db; clock: Clock }) {
  const a = tables.apps;
  return {
    async create(realmId: string, input: unknown): Promise<App> {
      const data = parseOrThrow(createAppSchema, input);
      const [app] = await db
        .insert(a)
        .values({
          realmId,
          id: newId("app"),
          name: data.name,
          redirectUris: [...new Set(data.redirect_uris)],
          allowSubpaths: data.allow_subpaths ?? false,
        })
        .returning();
      if (!app) throw new Error("insert returned no row");
      return app;
    },

    async update(realmId: string, id: string, input: unknown): Promise<App> {
      const data = parseOrThrow(updateAppSchema, input);
      const [app] = await db
        .update(a)
        .set({
          name: data.name,
          redirectUris: data.redirect_uris ? [...new Set(data.redirect_uris)] : undefined,
          allowSubpaths: data.allow_subpaths,
          updatedAt: clock.now(),
        })
        .where(and(eq(a.realmId, realmId), eq(a.id, id)))
        .returning();
      if (!app) throw new AppError("app.not_found");
      return app;
    },

    async find(realmId: string, id: string): Promise<App | null> {
      // Not an id at all (a NUL made the query fail: a 500 on pages taking `client_id`, found by
      // test/reliability/form-fuzz.test.ts): nothing to look up.
      if (!APP_ID_SHAPE.test(id)) return null;
      const [row] = await db
        .select()
        .from(a)
        .where(and(eq(a.realmId, realmId), eq(a.id, id)))
        .limit(1);
      return row ?? null;
    },

    /** The app a login link means: the named one, or the realm's only app when none is named. */
    async resolve(realmId: string, clientId: string | undefined): Promise<App> {
      if (clientId) {
        const app = await this.find(realmId, clientId);
        if (!app) throw new AppError("app.not_found");
        return app;
      }
      const rows = await db.select().from(a).where(eq(a.realmId, realmId)).orderBy(asc(a.id)).limit(2);
      if (rows.length === 0) throw new AppError("app.none");
      if (rows.length > 1) throw new AppError("app.ambiguous");
      return rows[0] as App;
    },

    async list(realmId: string, page: PageQuery) {
      const rows = await db
        .select()
        .from(a)
        .where(and(eq(a.realmId, realmId), page.after ? gt(a.id, page.after) : undefined))
        .orderBy(a.id)
        .limit(page.limit + 1);
      return toPage(rows, page.limit, (r) => r);
    },
  };
}

export type Apps = ReturnType<typeof createApps>;
