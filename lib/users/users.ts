import { and, desc, eq, gt, inArray, notInArray, or } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "@/lib/clock";
import { type Db, tables } from "@/lib/db";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError, parseOrThrow } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { type PageQuery, toPage } from "@/lib/pagination";
import { importedPasswordHashSchema, type PasswordHasher } from "@/lib/passwords";
import type { Realm } from "@/lib/realms";
import { emailSchema, nameFieldSchema, newPasswordSchema, usernameSchema } from "./fields";
import { identityOfUser, newPasswordErrors, newPasswordErrorsOfInput } from "./new-password";

export type User = typeof tables.users.$inferSelect;

export function createUserInputSchema(realm: Realm) {
  return z
    .strictObject({
      email: emailSchema,
      // Only realms with separate usernames store one; elsewhere the column stays null.
      username:
        realm.settings.username_mode === "separate"
          ? usernameSchema.nullable().optional()
          : z.null({ error: "username.disabled" }).optional(),
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

export const updateUserInputSchema = z.strictObject({
  first_name: nameFieldSchema.optional(),
  last_name: nameFieldSchema.optional(),
  email_verified: z.boolean().optional(),
  state: z.enum(["active", "inactive"]).optional(),
  /** The user must choose a new password at their next login, before any token is issued. */
  must_change_password: z.boolean().optional(),
});

export interface PasswordStatus {
  mustChange: boolean;
  changedAt: Date;
}

export type CreateUserInput = z.input<ReturnType<typeof createUserInputSchema>>;

export interface CreateUserOptions {
  /**
   * Runs inside the user's transaction, after the insert, with the new user: work that must succeed
   * or fail together with the account (consuming an invitation, queueing the verification email).
   * Throwing undoes both.
   */
  withinTransaction?: (tx: Db, user: User) => Promise<void>;
}

export function createUsers({ db, clock, hasher }: { db: Db; clock: Clock; hasher: PasswordHasher }) {
  const u = tables.users;
  const h = tables.passwordHistory;
  const ofUser = (realmId: string, userId: string) => and(eq(h.realmId, realmId), eq(h.userId, userId));
  const newestFirst = [desc(h.createdAt), desc(h.id)] as const;

  /** Whether `password` matches the current hash or one of the last `keep`, checked with the hasher. */
  async function isReused(realmId: string, userId: string, password: string, keep: number) {
    const pc = tables.passwordCredentials;
    const [current] = await db
      .select({ hash: pc.hash })
      .from(pc)
      .where(and(eq(pc.realmId, realmId), eq(pc.userId, userId)));
    const previous =
      keep > 0
        ? await db
            .select({ hash: h.hash })
            .from(h)
            .where(ofUser(realmId, userId))
            .orderBy(...newestFirst)
            .limit(keep)
        : [];
    const hashes = [...(current ? [current.hash] : []), ...previous.map((r) => r.hash)];
    // In parallel: the hasher's semaphore bounds the CPU; the wait is about (N + 1) / cores hashes.
    const matches = await Promise.all(hashes.map((stored) => hasher.verify(password, stored)));
    return matches.some(Boolean);
  }

  /** Keeps the newest `keep` history rows of a user (none when `keep` is 0). */
  async function trimHistory(tx: Db, realmId: string, userId: string, keep: number) {
    const kept = tx
      .select({ id: h.id })
      .from(h)
      .where(ofUser(realmId, userId))
      .orderBy(...newestFirst)
      .limit(keep);
    await tx.delete(h).where(and(ofUser(realmId, userId), notInArray(h.id, kept)));
  }

  return {
    /** Creates a user (and its password credential when a password is given) atomically. */
    async create(realm: Realm, input: unknown, options: CreateUserOptions = {}): Promise<User> {
      // The policy's errors join the schema's in one 422. No history yet: this is the first password.
      const data = parseOrThrow(createUserInputSchema(realm), input, newPasswordErrorsOfInput(realm, input));
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
              username: data.username ?? null,
              firstName: data.first_name || null,
              lastName: data.last_name || null,
              emailVerified: data.email_verified ?? false,
            })
            .returning();
          if (passwordHash) {
            await tx
              .insert(tables.passwordCredentials)
              .values({ realmId: realm.id, userId: id, hash: passwordHash, changedAt: clock.now() });
          }
          if (!user) throw new Error("insert returned no row");
          await options.withinTransaction?.(tx, user);
          return user;
        });
      } catch (error) {
        if (isUniqueViolation(error, "users_realm_email_key"))
          throw AppError.field("user.email_taken", "email");
        // Two signups racing for one address or username: the database's unique index decides,
        // and the loser hears "taken" like anyone who came second.
        if (isUniqueViolation(error, "users_realm_username_key"))
          throw AppError.field("user.username_taken", "username");
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

    /**
     * The user and their password hash, for a login, by email or username (`identifier` already
     * normalised). Usernames never contain `@` and emails always do, so at most one user matches.
     */
    async findForLogin(realmId: string, identifier: string) {
      const [row] = await db
        .select({
          user: u,
          hash: tables.passwordCredentials.hash,
          mustChange: tables.passwordCredentials.mustChange,
          changedAt: tables.passwordCredentials.changedAt,
        })
        .from(u)
        .leftJoin(
          tables.passwordCredentials,
          and(eq(tables.passwordCredentials.realmId, u.realmId), eq(tables.passwordCredentials.userId, u.id)),
        )
        .where(and(eq(u.realmId, realmId), or(eq(u.email, identifier), eq(u.username, identifier))))
        .limit(1);
      return row ?? null;
    },

    /** The user's stored password hash, or null when they have no password. */
    async passwordHash(realmId: string, userId: string): Promise<string | null> {
      const [row] = await db
        .select({ hash: tables.passwordCredentials.hash })
        .from(tables.passwordCredentials)
        .where(
          and(eq(tables.passwordCredentials.realmId, realmId), eq(tables.passwordCredentials.userId, userId)),
        )
        .limit(1);
      return row?.hash ?? null;
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
     * Refused with a 422 (errors on `options.field`, default `password`), before any hashing: every
     * rule of the realm's policy at once, else `password.reused` when it equals the current password
     * or one of the last `password_history`. The replaced hash joins the history, which keeps N rows.
     */
    async setPassword(
      realm: Realm,
      userId: string,
      password: string,
      options: {
        field?: string;
        /** Runs first inside the password's transaction (spending a login flow); throwing undoes it. */
        withinTransaction?: (tx: Db) => Promise<void>;
      } = {},
    ): Promise<void> {
      const field = options.field ?? "password";
      const user = await this.get(realm.id, userId);
      const errors = newPasswordErrors(realm, password, identityOfUser(user), field);
      if (errors.length) throw new AppError("validation.failed", { fields: errors });
      const keep = realm.settings.password_history;
      if (await isReused(realm.id, userId, password, keep)) throw AppError.field("password.reused", field);

      const hash = await hasher.hash(password, realm.settings.bcrypt_cost);
      const now = clock.now();
      const pc = tables.passwordCredentials;
      await db.transaction(async (tx) => {
        await options.withinTransaction?.(tx);
        // The row lock orders concurrent changes, so each replaced hash enters the history once.
        const [old] = await tx
          .select({ hash: pc.hash })
          .from(pc)
          .where(and(eq(pc.realmId, realm.id), eq(pc.userId, userId)))
          .for("update");
        await tx
          .insert(pc)
          .values({ realmId: realm.id, userId, hash, changedAt: now, mustChange: false })
          .onConflictDoUpdate({
            target: [pc.realmId, pc.userId],
            set: { hash, changedAt: now, mustChange: false, updatedAt: now },
          });
        if (old && keep > 0) {
          await tx.insert(tables.passwordHistory).values({
            realmId: realm.id,
            id: newId("pwh", now.getTime()),
            userId,
            hash: old.hash,
            createdAt: now,
          });
        }
        await trimHistory(tx, realm.id, userId, keep);
        // A new password voids every login of this user still waiting on a step: a flow opened with
        // the old password (by whoever knew it) must not finish after the change.
        await tx
          .delete(tables.loginFlows)
          .where(and(eq(tables.loginFlows.realmId, realm.id), eq(tables.loginFlows.userId, userId)));
        // And every reset or change-of-email link still out: a link asked for before the change (by
        // whoever held the old password) must not undo it or hand the account to another address.
        await tx
          .delete(tables.emailTokens)
          .where(
            and(
              eq(tables.emailTokens.realmId, realm.id),
              eq(tables.emailTokens.userId, userId),
              inArray(tables.emailTokens.purpose, ["password_reset", "change_email"]),
            ),
          );
      });
    },

    /** Password facts an admin may see: never the hash. Null when the user has no password. */
    async passwordStatus(realmId: string, userId: string): Promise<PasswordStatus | null> {
      const pc = tables.passwordCredentials;
      const [row] = await db
        .select({ mustChange: pc.mustChange, changedAt: pc.changedAt })
        .from(pc)
        .where(and(eq(pc.realmId, realmId), eq(pc.userId, userId)))
        .limit(1);
      return row ?? null;
    },

    /** Admin edits of a user (`PATCH /users/{id}`); every change in one transaction. */
    async update(realm: Realm, id: string, input: unknown): Promise<User> {
      const data = parseOrThrow(updateUserInputSchema, input);
      return db.transaction(async (tx) => {
        const set: Partial<typeof u.$inferInsert> = { updatedAt: clock.now() };
        if (data.first_name !== undefined) set.firstName = data.first_name || null;
        if (data.last_name !== undefined) set.lastName = data.last_name || null;
        if (data.email_verified !== undefined) set.emailVerified = data.email_verified;
        if (data.state !== undefined) set.state = data.state;
        const [user] = await tx
          .update(u)
          .set(set)
          .where(and(eq(u.realmId, realm.id), eq(u.id, id)))
          .returning();
        if (!user) throw new AppError("user.not_found");
        if (data.must_change_password !== undefined) {
          const pc = tables.passwordCredentials;
          const changed = await tx
            .update(pc)
            .set({ mustChange: data.must_change_password })
            .where(and(eq(pc.realmId, realm.id), eq(pc.userId, id)))
            .returning({ userId: pc.userId });
          // Asking a user without a password to change it would lock them out of nothing useful.
          if (changed.length === 0 && data.must_change_password)
            throw AppError.field("field.invalid", "must_change_password");
        }
        return user;
      });
    },

    /** Whether an account of the realm has this (normalised) address. */
    async isEmailTaken(realmId: string, email: string, tx: Db = db): Promise<boolean> {
      const [row] = await tx
        .select({ id: u.id })
        .from(u)
        .where(and(eq(u.realmId, realmId), eq(u.email, email)))
        .limit(1);
      return !!row;
    },

    /**
     * Marks the user's address verified, only while it is still `email` (the address a link went to):
     * null when the account has moved on to another address, or is gone.
     */
    async markEmailVerified(realmId: string, id: string, email: string, tx: Db = db): Promise<User | null> {
      const [user] = await tx
        .update(u)
        .set({ emailVerified: true, updatedAt: clock.now() })
        .where(and(eq(u.realmId, realmId), eq(u.id, id), eq(u.email, email)))
        .returning();
      return user ?? null;
    },

    /**
     * Moves the user to a new address, verified (the change was confirmed from it). The unique index
     * decides a race for the address: the loser gets `user.email_taken`. Returns the user before and after.
     */
    async changeEmail(
      realmId: string,
      id: string,
      email: string,
      tx: Db = db,
    ): Promise<{ before: User; after: User }> {
      const [before] = await tx
        .select()
        .from(u)
        .where(and(eq(u.realmId, realmId), eq(u.id, id)))
        .for("update");
      if (!before) throw new AppError("user.not_found");
      try {
        const [after] = await tx
          .update(u)
          .set({ email, emailVerified: true, updatedAt: clock.now() })
          .where(and(eq(u.realmId, realmId), eq(u.id, id)))
          .returning();
        if (!after) throw new Error("update returned no row");
        return { before, after };
      } catch (error) {
        if (isUniqueViolation(error, "users_realm_email_key"))
          throw AppError.field("user.email_taken", "email");
        throw error;
      }
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
