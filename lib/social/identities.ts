import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Clock } from "@/lib/clock";
import { type Db, tables } from "@/lib/db";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { UpstreamProfile } from "./types";

export type Identity = typeof tables.userIdentities.$inferSelect;

/** An identity with its provider's name, for the profile page and the admin API. */
export interface IdentityView extends Identity {
  providerSlug: string;
  providerName: string;
}

/**
 * Upstream identities `(provider, subject)` linked to users (issue 6). Each is linked to exactly
 * one user; matching by email and deciding whether to link is the login flow's job, not this
 * store's.
 */
export function createIdentities({ db, clock }: { db: Db; clock: Clock }) {
  const i = tables.userIdentities;
  const p = tables.socialProviders;

  return {
    async findBySubject(realmId: string, providerId: string, subject: string): Promise<Identity | null> {
      const [row] = await db
        .select()
        .from(i)
        .where(and(eq(i.realmId, realmId), eq(i.providerId, providerId), eq(i.subject, subject)))
        .limit(1);
      return row ?? null;
    },

    async listForUser(realmId: string, userId: string): Promise<IdentityView[]> {
      const rows = await db
        .select({ identity: i, providerSlug: p.slug, providerName: p.displayName })
        .from(i)
        .innerJoin(p, and(eq(p.realmId, i.realmId), eq(p.id, i.providerId)))
        .where(and(eq(i.realmId, realmId), eq(i.userId, userId)))
        .orderBy(asc(p.position), asc(i.createdAt));
      return rows.map((r) => ({ ...r.identity, providerSlug: r.providerSlug, providerName: r.providerName }));
    },

    async countForUser(realmId: string, userId: string, tx: Db = db): Promise<number> {
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(i)
        .where(and(eq(i.realmId, realmId), eq(i.userId, userId)));
      return Number(row?.n ?? 0);
    },

    /** How many users log in through a provider (what deleting it would unlink). */
    async countForProvider(realmId: string, providerId: string): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(i)
        .where(and(eq(i.realmId, realmId), eq(i.providerId, providerId)));
      return Number(row?.n ?? 0);
    },

    /**
     * How many of the user's identities can sign in (their provider is enabled), leaving out
     * `except`: what remains if that one is removed.
     */
    async countSignInWays(
      realmId: string,
      userId: string,
      options: { except?: string; tx?: Db } = {},
    ): Promise<number> {
      const [row] = await (options.tx ?? db)
        .select({ n: sql<number>`count(*)::int` })
        .from(i)
        .innerJoin(p, and(eq(p.realmId, i.realmId), eq(p.id, i.providerId)))
        .where(
          and(
            eq(i.realmId, realmId),
            eq(i.userId, userId),
            eq(p.enabled, true),
            options.except ? ne(i.id, options.except) : undefined,
          ),
        );
      return Number(row?.n ?? 0);
    },

    /**
     * Links an upstream account to a user. Refused with `social.identity_taken` when that account
     * is already linked (to anyone) or the user already has an identity at this provider.
     */
    async link(
      realmId: string,
      userId: string,
      providerId: string,
      profile: UpstreamProfile,
      tx: Db = db,
    ): Promise<Identity> {
      const now = clock.now();
      try {
        const [row] = await tx
          .insert(i)
          .values({
            realmId,
            id: newId("idn"),
            userId,
            providerId,
            subject: profile.subject,
            email: profile.email,
            emailVerified: profile.emailVerified,
            createdAt: now,
            lastLoginAt: now,
          })
          .returning();
        if (!row) throw new Error("insert returned no row");
        return row;
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError("social.identity_taken");
        throw error;
      }
    },

    /** Records a login through the identity, with what the provider asserts about the address now. */
    async touch(realmId: string, id: string, profile: Pick<UpstreamProfile, "email" | "emailVerified">) {
      await db
        .update(i)
        .set({ lastLoginAt: clock.now(), email: profile.email, emailVerified: profile.emailVerified })
        .where(and(eq(i.realmId, realmId), eq(i.id, id)));
    },

    /** Removes one of the user's identities; the caller checks it is not their last way in. */
    async unlink(realmId: string, userId: string, id: string, tx: Db = db): Promise<Identity> {
      const [row] = await tx
        .delete(i)
        .where(and(eq(i.realmId, realmId), eq(i.userId, userId), eq(i.id, id)))
        .returning();
      if (!row) throw new AppError("social.identity_not_found");
      return row;
    },
  };
}

export type Identities = ReturnType<typeof createIdentities>;
