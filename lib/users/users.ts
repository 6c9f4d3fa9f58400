import { and, eq, gt } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "@/lib/clock";
import { type Db, tables } from "@/lib/db";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError, parseOrThrow } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { type PageQuery, toPage } from "@/lib/pagination";
import { importedPasswordHashSchema, type PasswordHasher } from "@/lib/passwords";
import type { Realm } from "@/lib/realms";
import { emailSchema, nameFieldSchema, newPasswordSchema } from "./fields";

export type User = typeof tables.users.$inferSelect;

export function createUserInputSchema(realm: Realm) {
  return z
    .strictObject({
      email: emailSchema,
      password: newPasswordSchema({
        min: realm.settings.password_min_length,
        max: realm.settings.password_max_length,
      }).optional(),
      /** An existing hash from another system (docs/import.md); stored as given, re-hashed at login. */
      password_hash: importedPasswordHashSchema.optional(),
      first_name: nameFieldSchema.optional(),
      last_name: nameFieldSchema.optional(),
      email_verified: z.boolean().optional(),
    })
    .superRefine((data, ctx) => {
      if (data.password !== undefined && data.password_hash !== undefined)
        ctx.addIssue({ code: "custom", path: ["password_hash"], message: "password.both_given" });
    });
}

export type CreateUserInput = z.input<ReturnType<typeof createUserInputSchema>>;

export function createUsers({ db, clock, hasher }: { db: Db; clock: Clock; hasher: PasswordHasher }) {
  const u = tables.users;
  return {
    /** Creates a user (and its password credential when a password is given) atomically. */
    async create(realm: Realm, input: unknown): Promise<User> {
      const data = parseOrThrow(createUserInputSchema(realm), input);
      // An imported hash skips the password policy: the password behind it cannot be checked.
      const passwordHash = data.password
        ? await hasher.hash(data.password, realm.settings.bcrypt_cost)
        : (data.password_hash ?? null);
      const id = newId("usr");
      try {
        return await db.transaction(async (tx) => {
          const [user] = await tx
            .insert(u)
            .values({
              realmId: realm.id,
              id,
              email: data.email,
              firstName: data.first_name || null,
              lastName: data.last_name || null,
              emailVerified: data.email_verified ?? false,
            })
            .returning();
          if (passwordHash) {
            await tx
              .insert(tables.passwordCredentials)
              .values({ realmId: realm.id, userId: id, hash: passwordHash });
          }
          if (!user) throw new Error("insert returned no row");
          return user;
        });
      } catch (error) {
        if (isUniqueViolation(error, "users_realm_email_key"))
          throw AppError.field("user.email_taken", "email");
        throw error;
      }
    },

    async find(realmId: string, id: string): Promise<User | null> {
      const [row] = await db
        .select()
        .from(u)
        .where(and(eq(u.realmId, realmId), eq(u.id, id)))
        .limit(1);
      return row ?? null;
    },

    async get(realmId: string, id: string): Promise<User> {
      const user = await this.find(realmId, id);
      if (!user) throw new AppError("user.not_found");
      return user;
    },

    /** The user and their password hash, for a login; `email` must already be normalised. */
    async findForLogin(realmId: string, email: string) {
      const [row] = await db
        .select({ user: u, hash: tables.passwordCredentials.hash })
        .from(u)
        .leftJoin(
          tables.passwordCredentials,
          and(eq(tables.passwordCredentials.realmId, u.realmId), eq(tables.passwordCredentials.userId, u.id)),
        )
        .where(and(eq(u.realmId, realmId), eq(u.email, email)))
        .limit(1);
      return row ?? null;
    },

    async hasPassword(realmId: string, userId: string): Promise<boolean> {
      const [row] = await db
        .select({ userId: tables.passwordCredentials.userId })
        .from(tables.passwordCredentials)
        .where(
          and(eq(tables.passwordCredentials.realmId, realmId), eq(tables.passwordCredentials.userId, userId)),
        )
        .limit(1);
      return Boolean(row);
    },

    /**
     * A transparent re-hash of the same password (new algorithm or cost): `changed_at` stays, since
     * the user chose nothing new. Only replaces `previous`, so a password change that lands between
     * the login's check and this write is never overwritten with the old password.
     */
    async replacePasswordHash(
      realmId: string,
      userId: string,
      hash: string,
      previous: string,
    ): Promise<void> {
      await db
        .update(tables.passwordCredentials)
        .set({ hash, updatedAt: clock.now() })
        .where(
          and(
            eq(tables.passwordCredentials.realmId, realmId),
            eq(tables.passwordCredentials.userId, userId),
            eq(tables.passwordCredentials.hash, previous),
          ),
        );
    },

    /**
     * Sets a password the user chose (profile change, expired-password step, reset): hashed at the
     * realm's cost, `changed_at` now, "must change" cleared. Creates the credential if missing.
     */
    async setPassword(realm: Realm, userId: string, password: string): Promise<void> {
      const hash = await hasher.hash(password, realm.settings.bcrypt_cost);
      const now = clock.now();
      await db
        .insert(tables.passwordCredentials)
        .values({ realmId: realm.id, userId, hash, changedAt: now, mustChange: false })
        .onConflictDoUpdate({
          target: [tables.passwordCredentials.realmId, tables.passwordCredentials.userId],
          set: { hash, changedAt: now, mustChange: false, updatedAt: now },
        });
    },

    async recordLogin(realmId: string, userId: string): Promise<void> {
      await db
        .update(u)
        .set({ lastLoginAt: clock.now() })
        .where(and(eq(u.realmId, realmId), eq(u.id, userId)));
    },

    async list(realmId: string, page: PageQuery) {
      const rows = await db
        .select()
        .from(u)
        .where(and(eq(u.realmId, realmId), page.after ? gt(u.id, page.after) : undefined))
        .orderBy(u.id)
        .limit(page.limit + 1);
      return toPage(rows, page.limit, (r) => r);
    },

    async delete(realmId: string, id: string): Promise<void> {
      const deleted = await db
        .delete(u)
        .where(and(eq(u.realmId, realmId), eq(u.id, id)))
        .returning({ id: u.id });
      if (deleted.length === 0) throw new AppError("user.not_found");
    },
  };
}

export type Users = ReturnType<typeof createUsers>;
