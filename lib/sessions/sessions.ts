import { and, asc, count, desc, eq, gt, inArray, lte, ne, sql } from "drizzle-orm";
import type { Clock } from "@/lib/clock";
import { hashSecret, newSecret } from "@/lib/crypto/secrets";
import { type Db, tables } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { RequestContext } from "@/lib/events";
import { newId } from "@/lib/ids";

export type Session = typeof tables.sessions.$inferSelect;

/** The realm's cap on simultaneous sessions per user (DESIGN section 7). */
export interface SessionLimit {
  max: number;
  policy: "evict_oldest" | "refuse_new";
}

/** Don't write `last_seen_at` on every request: once a minute is plenty for "last used". */
const TOUCH_EVERY_MS = 60_000;

const isSecret = (secret: string | undefined): secret is string => !!secret && secret.length <= 128;

export function createSessions({ db, clock }: { db: Db; clock: Clock }) {
  const s = tables.sessions;
  const u = tables.users;

  async function endWhere(realmId: string, userId: string, exceptSessionId: string | null) {
    return db
      .delete(s)
      .where(
        and(
          eq(s.realmId, realmId),
          eq(s.userId, userId),
          exceptSessionId ? ne(s.id, exceptSessionId) : undefined,
        ),
      )
      .returning();
  }

  return {
    /**
     * A new session with a fresh secret; the caller puts `secret` in the cookie. The user's row is
     * locked for the transaction, so parallel logins of one user take turns and the cap holds:
     * `evict_oldest` ends the least recently used sessions to make room (returned in `evicted`),
     * `refuse_new` throws `session.limit_reached` and changes nothing. `replacesSecret` is the
     * browser's previous session: it ends in the same transaction and never counts.
     */
    async create(input: {
      realmId: string;
      userId: string;
      amr: string[];
      minutes: number;
      context: RequestContext;
      limit: SessionLimit;
      replacesSecret?: string;
    }): Promise<{ session: Session; secret: string; evicted: Session[] }> {
      const secret = newSecret();
      const now = clock.now();
      const { realmId, userId, limit } = input;
      return db.transaction(async (tx) => {
        await tx
          .select({ id: u.id })
          .from(u)
          .where(and(eq(u.realmId, realmId), eq(u.id, userId)))
          .for("update");
        if (isSecret(input.replacesSecret)) {
          await tx
            .delete(s)
            .where(and(eq(s.realmId, realmId), eq(s.tokenHash, hashSecret(input.replacesSecret))));
        }
        // The user's expired sessions go when they next log in, so rows do not pile up.
        await tx.delete(s).where(and(eq(s.realmId, realmId), eq(s.userId, userId), lte(s.expiresAt, now)));
        const [live] = await tx
          .select({ n: count() })
          .from(s)
          .where(and(eq(s.realmId, realmId), eq(s.userId, userId)));
        const excess = (live?.n ?? 0) - limit.max + 1;
        let evicted: Session[] = [];
        if (excess > 0) {
          if (limit.policy === "refuse_new") throw new AppError("session.limit_reached");
          const oldest = await tx
            .select({ id: s.id })
            .from(s)
            .where(and(eq(s.realmId, realmId), eq(s.userId, userId)))
            .orderBy(asc(s.lastSeenAt), asc(s.createdAt), asc(s.id))
            .limit(excess);
          evicted = await tx
            .delete(s)
            .where(
              and(
                eq(s.realmId, realmId),
                inArray(
                  s.id,
                  oldest.map((row) => row.id),
                ),
              ),
            )
            .returning();
        }
        const [session] = await tx
          .insert(s)
          .values({
            realmId,
            id: newId("ses"),
            userId,
            tokenHash: hashSecret(secret),
            amr: input.amr,
            ip: input.context.ip?.slice(0, 64) ?? null,
            userAgent: input.context.userAgent?.slice(0, 512) ?? null,
            createdAt: now,
            lastSeenAt: now,
            expiresAt: new Date(now.getTime() + input.minutes * 60_000),
            // A login that checked the password counts as a fresh proof of it (recent authentication).
            passwordVerifiedAt: input.amr.includes("pwd") ? now : null,
          })
          .returning();
        if (!session) throw new Error("insert returned no row");
        return { session, secret, evicted };
      });
    },

    /** The live session behind a cookie secret, or null (unknown, expired or ended). */
    async findLive(realmId: string, secret: string | undefined): Promise<Session | null> {
      if (!isSecret(secret)) return null;
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

    /**
     * The user just proved their password again in this session (the profile's "confirm your
     * password", or a change that asked for it): recent authentication starts afresh.
     */
    async markPasswordVerified(realmId: string, sessionId: string): Promise<Date> {
      const now = clock.now();
      await db
        .update(s)
        .set({ passwordVerifiedAt: now })
        .where(and(eq(s.realmId, realmId), eq(s.id, sessionId)));
      return now;
    },

    /** Adds a method to what a session has proven (say `otp`, after the app was set up in it). */
    async addAmr(realmId: string, sessionId: string, method: string): Promise<void> {
      await db
        .update(s)
        .set({ amr: sql`array_append(array_remove(${s.amr}, ${method}), ${method})` })
        .where(and(eq(s.realmId, realmId), eq(s.id, sessionId)));
    },

    /** A user's live sessions, most recently used first. */
    async listLive(realmId: string, userId: string): Promise<Session[]> {
      return db
        .select()
        .from(s)
        .where(and(eq(s.realmId, realmId), eq(s.userId, userId), gt(s.expiresAt, clock.now())))
        .orderBy(desc(s.lastSeenAt), desc(s.createdAt), desc(s.id));
    },

    /** Ends one session of a user; null when the user has no such session (another user's counts as none). */
    async endOne(realmId: string, userId: string, sessionId: string): Promise<Session | null> {
      if (sessionId.length > 64) return null;
      const [row] = await db
        .delete(s)
        .where(and(eq(s.realmId, realmId), eq(s.userId, userId), eq(s.id, sessionId)))
        .returning();
      return row ?? null;
    },

    /** Ends every session of a user except one (or all with null); returns the ended sessions. */
    async endAll(realmId: string, userId: string, exceptSessionId: string | null): Promise<Session[]> {
      return endWhere(realmId, userId, exceptSessionId);
    },

    /** Ends every session of a user except one (after a password change); returns how many ended. */
    async endOthers(realmId: string, userId: string, exceptSessionId: string | null): Promise<number> {
      return (await endWhere(realmId, userId, exceptSessionId)).length;
    },

    /** Ends the session behind a cookie secret; returns it when there was one. */
    async endBySecret(realmId: string, secret: string | undefined): Promise<Session | null> {
      if (!isSecret(secret)) return null;
      const [row] = await db
        .delete(s)
        .where(and(eq(s.realmId, realmId), eq(s.tokenHash, hashSecret(secret))))
        .returning();
      return row ?? null;
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
