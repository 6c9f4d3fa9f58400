import { and, eq, gt, lte, ne } from "drizzle-orm";
import type { Clock } from "@/lib/clock";
import { hashSecret, newSecret } from "@/lib/crypto/secrets";
import { type Db, tables } from "@/lib/db";
import type { RequestContext } from "@/lib/events";
import { newId } from "@/lib/ids";

export type Session = typeof tables.sessions.$inferSelect;

/** Don't write `last_seen_at` on every request: once a minute is plenty for "last used". */
const TOUCH_EVERY_MS = 60_000;

export function createSessions({ db, clock }: { db: Db; clock: Clock }) {
  const s = tables.sessions;
  return {
    /** A new session with a fresh secret; the caller puts `secret` in the cookie. */
    async create(input: {
      realmId: string;
      userId: string;
      amr: string[];
      minutes: number;
      context: RequestContext;
    }): Promise<{ session: Session; secret: string }> {
      const secret = newSecret();
      const now = clock.now();
      // The user's expired sessions go when they next log in, so rows do not pile up.
      await db
        .delete(s)
        .where(and(eq(s.realmId, input.realmId), eq(s.userId, input.userId), lte(s.expiresAt, now)));
      const [session] = await db
        .insert(s)
        .values({
          realmId: input.realmId,
          id: newId("ses"),
          userId: input.userId,
          tokenHash: hashSecret(secret),
          amr: input.amr,
          ip: input.context.ip?.slice(0, 64) ?? null,
          userAgent: input.context.userAgent?.slice(0, 512) ?? null,
          createdAt: now,
          lastSeenAt: now,
          expiresAt: new Date(now.getTime() + input.minutes * 60_000),
        })
        .returning();
      if (!session) throw new Error("insert returned no row");
      return { session, secret };
    },

    /** The live session behind a cookie secret, or null (unknown, expired or ended). */
    async findLive(realmId: string, secret: string | undefined): Promise<Session | null> {
      if (!secret || secret.length > 128) return null;
      const now = clock.now();
      const [row] = await db
        .select()
        .from(s)
        .where(and(eq(s.realmId, realmId), eq(s.tokenHash, hashSecret(secret)), gt(s.expiresAt, now)))
        .limit(1);
      if (!row) return null;
      if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
        await db
          .update(s)
          .set({ lastSeenAt: now })
          .where(and(eq(s.realmId, realmId), eq(s.id, row.id)));
      }
      return row;
    },

    /** Ends every session of a user except one (after a password change); returns how many ended. */
    async endOthers(realmId: string, userId: string, exceptSessionId: string | null): Promise<number> {
      const ended = await db
        .delete(s)
        .where(
          and(
            eq(s.realmId, realmId),
            eq(s.userId, userId),
            exceptSessionId ? ne(s.id, exceptSessionId) : undefined,
          ),
        )
        .returning({ id: s.id });
      return ended.length;
    },

    /** Ends the session behind a cookie secret; returns it when there was one. */
    async endBySecret(realmId: string, secret: string | undefined): Promise<Session | null> {
      if (!secret || secret.length > 128) return null;
      const [row] = await db
        .delete(s)
        .where(and(eq(s.realmId, realmId), eq(s.tokenHash, hashSecret(secret))))
        .returning();
      return row ?? null;
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
