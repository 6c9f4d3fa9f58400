import { and, desc, eq, gt, isNull, lte } from "drizzle-orm";
import type { Clock } from "@/lib/clock";
import { hashSecret, newSecret } from "@/lib/crypto/secrets";
import { type Db, tables } from "@/lib/db";
import { newId } from "@/lib/ids";

export type EmailTokenPurpose = "password_reset" | "verify_email" | "change_email";

/** How long each kind of link works. */
export const TOKEN_MINUTES: Record<EmailTokenPurpose, number> = {
  password_reset: 60,
  verify_email: 24 * 60,
  change_email: 24 * 60,
};

export type EmailToken = typeof tables.emailTokens.$inferSelect;

export interface IssueToken {
  realmId: string;
  userId: string;
  purpose: EmailTokenPurpose;
  /** The address the link goes to (the new one, for a change of email). */
  email: string;
  /** Entry parameters to carry to the end of the flow (app, redirect_uri, state, redir). */
  data?: Record<string, unknown>;
}

/** Secrets are 256 bits; a longer string cannot be one of ours and is not even hashed. */
const plausible = (secret: unknown): secret is string =>
  typeof secret === "string" && secret.length >= 32 && secret.length <= 128;

/**
 * One-time links sent by email (DESIGN section 6): 256-bit secrets, stored as SHA-256, short
 * expiry, single use by an atomic update. Issuing a new link of a purpose voids the user's earlier
 * ones of that purpose, so only the latest mail works.
 */
export function createEmailTokens({ db, clock }: { db: Db; clock: Clock }) {
  const t = tables.emailTokens;
  return {
    async issue(input: IssueToken, tx: Db = db): Promise<{ token: EmailToken; secret: string }> {
      const secret = newSecret();
      const now = clock.now();
      // Expired links go when a link is issued outside a transaction (a reset); never inside one,
      // where the purge's row locks would make concurrent signups wait on each other.
      if (tx === db) await db.delete(t).where(lte(t.expiresAt, now));
      await tx
        .delete(t)
        .where(and(eq(t.realmId, input.realmId), eq(t.userId, input.userId), eq(t.purpose, input.purpose)));
      const [token] = await tx
        .insert(t)
        .values({
          realmId: input.realmId,
          id: newId("etk", now.getTime()),
          tokenHash: hashSecret(secret),
          purpose: input.purpose,
          userId: input.userId,
          email: input.email,
          data: input.data ?? {},
          createdAt: now,
          expiresAt: new Date(now.getTime() + TOKEN_MINUTES[input.purpose] * 60_000),
        })
        .returning();
      if (!token) throw new Error("insert returned no row");
      return { token, secret };
    },

    /** The live, unused token behind a link, without spending it (to render the page). */
    async peek(realmId: string, purpose: EmailTokenPurpose, secret: unknown): Promise<EmailToken | null> {
      if (!plausible(secret)) return null;
      const [row] = await db
        .select()
        .from(t)
        .where(
          and(
            eq(t.realmId, realmId),
            eq(t.tokenHash, hashSecret(secret)),
            eq(t.purpose, purpose),
            isNull(t.usedAt),
            gt(t.expiresAt, clock.now()),
          ),
        )
        .limit(1);
      return row ?? null;
    },

    /** The user's live, unused link of a purpose (issuing voids older ones, so there is one at most). */
    async outstanding(
      realmId: string,
      userId: string,
      purpose: EmailTokenPurpose,
    ): Promise<EmailToken | null> {
      const [row] = await db
        .select()
        .from(t)
        .where(
          and(
            eq(t.realmId, realmId),
            eq(t.userId, userId),
            eq(t.purpose, purpose),
            isNull(t.usedAt),
            gt(t.expiresAt, clock.now()),
          ),
        )
        .orderBy(desc(t.createdAt))
        .limit(1);
      return row ?? null;
    },

    /**
     * Spends a link: marked used and returned to exactly one caller, however many race for it.
     * Null when unknown, expired, already used or voided. Pass `tx` to spend it inside the
     * transaction of what the link does, so a failure leaves it usable.
     */
    async consume(
      realmId: string,
      purpose: EmailTokenPurpose,
      secret: unknown,
      tx: Db = db,
    ): Promise<EmailToken | null> {
      if (!plausible(secret)) return null;
      const now = clock.now();
      const [row] = await tx
        .update(t)
        .set({ usedAt: now })
        .where(
          and(
            eq(t.realmId, realmId),
            eq(t.tokenHash, hashSecret(secret)),
            eq(t.purpose, purpose),
            isNull(t.usedAt),
            gt(t.expiresAt, now),
          ),
        )
        .returning();
      return row ?? null;
    },

    /** Voids a user's outstanding links of the given purposes. */
    async voidFor(
      realmId: string,
      userId: string,
      purposes: EmailTokenPurpose[],
      tx: Db = db,
    ): Promise<void> {
      for (const purpose of purposes)
        await tx.delete(t).where(and(eq(t.realmId, realmId), eq(t.userId, userId), eq(t.purpose, purpose)));
    },
  };
}

export type EmailTokens = ReturnType<typeof createEmailTokens>;
