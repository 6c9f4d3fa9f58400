import { and, eq, gt } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "@/lib/clock";
import { type Db, tables } from "@/lib/db";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError, parseOrThrow } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { type PageQuery, toPage } from "@/lib/pagination";
import type { SigningKeys } from "@/lib/tokens";
import { type RealmSettings, readSettings, realmSettingsPatchSchema } from "./settings";
import { realmSlugSchema } from "./slug";

export interface Realm {
  id: string;
  slug: string;
  name: string;
  settings: RealmSettings;
  createdAt: Date;
  updatedAt: Date;
}

const nameSchema = z.string().trim().min(1, "field.required").max(100, "field.too_long");

export const createRealmSchema = z.strictObject({
  slug: realmSlugSchema,
  name: nameSchema,
  settings: realmSettingsPatchSchema
    // HS256 needs a way to hand the shared secret to the app, which the key API will bring.
    .refine((s) => s.token_algorithm !== "HS256", { message: "field.unsupported", path: ["token_algorithm"] })
    .optional(),
});

export const updateRealmSchema = z.strictObject({
  name: nameSchema.optional(),
  settings: realmSettingsPatchSchema.optional(),
});

type Row = typeof tables.realms.$inferSelect;

/** Rules that join several settings, checked on the settings a create or update would store. */
function checkSettings(settings: RealmSettings): void {
  // "Required for members holding a permission" must name the permission.
  if (settings.mfa_policy === "permission" && !settings.mfa_permission) {
    throw AppError.field("mfa_permission.required", "settings.mfa_permission");
  }
}
const toRealm = (row: Row): Realm => ({ ...row, settings: readSettings(row.settings) });

export function createRealms({ db, clock, keys }: { db: Db; clock: Clock; keys: SigningKeys }) {
  const findBy = async (where: ReturnType<typeof eq>) => {
    const [row] = await db.select().from(tables.realms).where(where).limit(1);
    return row ? toRealm(row) : null;
  };

  return {
    /** By slug, or by id when it starts with `rl_`. */
    async find(ref: string): Promise<Realm | null> {
      if (ref.length > 64) return null;
      return findBy(
        ref.startsWith("rl_") ? eq(tables.realms.id, ref) : eq(tables.realms.slug, ref.toLowerCase()),
      );
    },

    async get(ref: string): Promise<Realm> {
      const realm = await this.find(ref);
      if (!realm) throw new AppError("realm.not_found");
      return realm;
    },

    /** A realm comes with its theme row and its first signing key, in one transaction. */
    async create(input: unknown): Promise<Realm> {
      const data = parseOrThrow(createRealmSchema, input);
      const settings = readSettings(data.settings ?? {});
      checkSettings(settings);
      const id = newId("rl");
      try {
        await db.transaction(async (tx) => {
          await tx.insert(tables.realms).values({ id, slug: data.slug, name: data.name, settings });
          await tx.insert(tables.themes).values({ realmId: id });
          await keys.create(tx, id, settings.token_algorithm);
        });
      } catch (error) {
        if (isUniqueViolation(error, "realms_slug_key")) throw AppError.field("realm.slug_taken", "slug");
        throw error;
      }
      return this.get(id);
    },

    async update(ref: string, input: unknown): Promise<Realm> {
      const data = parseOrThrow(updateRealmSchema, input);
      const found = await this.get(ref);
      // Read-merge-write under a row lock, so two concurrent PATCHes of different settings both land.
      await db.transaction(async (tx) => {
        const [row] = await tx
          .select()
          .from(tables.realms)
          .where(eq(tables.realms.id, found.id))
          .for("update");
        if (!row) throw new AppError("realm.not_found");
        const current = readSettings(row.settings);
        const algorithm = data.settings?.token_algorithm;
        // The signing key is made for the algorithm at creation; changing it is a key rotation.
        if (algorithm && algorithm !== current.token_algorithm) {
          throw AppError.field("field.read_only", "settings.token_algorithm");
        }
        const merged = { ...current, ...data.settings };
        // Checked before readSettings, which would quietly fall back to the default lengths.
        if (merged.password_max_length < merged.password_min_length) {
          throw AppError.field("field.invalid", "settings.password_max_length");
        }
        const settings = readSettings(merged);
        checkSettings(settings);
        await tx
          .update(tables.realms)
          .set({ name: data.name ?? row.name, settings, updatedAt: clock.now() })
          .where(eq(tables.realms.id, found.id));
      });
      return this.get(found.id);
    },

    async list(page: PageQuery) {
      const rows = await db
        .select()
        .from(tables.realms)
        .where(page.after ? gt(tables.realms.id, page.after) : undefined)
        .orderBy(tables.realms.id)
        .limit(page.limit + 1);
      return toPage(rows.map(toRealm), page.limit, (r) => r);
    },

    async theme(realmId: string, tx: Db = db): Promise<unknown> {
      const [row] = await tx
        .select({ tokens: tables.themes.tokens })
        .from(tables.themes)
        .where(and(eq(tables.themes.realmId, realmId)))
        .limit(1);
      return row?.tokens ?? {};
    },
  };
}

export type Realms = ReturnType<typeof createRealms>;
