import { and, asc, desc, eq, inArray, lt, lte, sql } from "drizzle-orm";
import type { Clock } from "@/lib/clock";
import { type Db, tables } from "@/lib/db";
import { newId } from "@/lib/ids";

export type OutboxEmail = typeof tables.emailOutbox.$inferSelect;

export interface NewEmail {
  realmId: string;
  template: string;
  userId?: string | null;
  to: string;
  from: string;
  subject: string;
  html: string;
  text: string;
}

/** Attempts before an email is given up (`failed`): with the backoff below, the last comes about 14½ h after the first. */
export const MAX_ATTEMPTS = 12;
/** How long a claimed email is held by its worker before another may take it (a crash mid-send). */
export const LEASE_MS = 2 * 60_000;

/** Sent and failed emails (and their attempts) are deleted this long after they were queued. */
export const RETENTION_DAYS = 30;
/** Rows deleted per statement of a purge, so that one never holds many locks for long. */
const PURGE_BATCH = 500;

/** The secret of every one-time link (`?token=…`, also HTML-escaped `&amp;token=…`) blanked out. */
export function redactLinkSecrets(body: string): string {
  return body.replace(/([?&](?:amp;)?token=)[A-Za-z0-9_-]+/g, "$1redacted");
}

/** Wait before attempt `n + 1` after `n` failures: 30 s, 1 min, 2 min … capped at 6 h, ±20 % jitter. */
export function backoffMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, failures - 1), 6 * 3600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * The outbox (DESIGN section 5): every email is a row first, written in the same transaction as
 * what it reports when the caller passes one. Workers claim due rows with `FOR UPDATE SKIP LOCKED`
 * and a lease, so two instances never hold the same email and a crashed one's work comes back.
 */
export function createOutbox({ db, clock, leaseMs = LEASE_MS }: { db: Db; clock: Clock; leaseMs?: number }) {
  const o = tables.emailOutbox;
  const a = tables.emailAttempts;
  return {
    async enqueue(email: NewEmail, tx: Db = db): Promise<OutboxEmail> {
      const now = clock.now();
      const [row] = await tx
        .insert(o)
        .values({
          realmId: email.realmId,
          id: newId("em", now.getTime()),
          template: email.template,
          userId: email.userId ?? null,
          toAddress: email.to,
          fromAddress: email.from,
          subject: email.subject,
          html: email.html,
          text: email.text,
          nextAttemptAt: now,
          createdAt: now,
        })
        .returning();
      if (!row) throw new Error("insert returned no row");
      return row;
    },

    /**
     * Takes up to `limit` due emails for this worker: each is leased (not due again for `leaseMs`)
     * and its attempt counted before it is sent, so a crash after sending can at worst repeat a
     * send once the lease ends, never lose the email.
     */
    async claim(limit: number): Promise<OutboxEmail[]> {
      return db.transaction(async (tx) => {
        const now = clock.now();
        const due = await tx
          .select({ realmId: o.realmId, id: o.id, attempts: o.attempts })
          .from(o)
          .where(and(eq(o.status, "pending"), lte(o.nextAttemptAt, now)))
          .orderBy(asc(o.nextAttemptAt), asc(o.createdAt), asc(o.id))
          .limit(limit)
          .for("update", { skipLocked: true });
        if (!due.length) return [];
        const lease = new Date(now.getTime() + leaseMs);
        const claimed: OutboxEmail[] = [];
        for (const { realmId, id, attempts } of due) {
          const where = and(eq(o.realmId, realmId), eq(o.id, id));
          // Due again with every attempt spent: the last one was claimed and never recorded (its
          // worker stopped mid-send). Give up like after a failed last attempt.
          if (attempts >= MAX_ATTEMPTS) {
            await tx
              .update(o)
              .set({ status: "failed", lastError: "no result of the last attempt (the worker stopped)" })
              .where(where);
            continue;
          }
          const [row] = await tx
            .update(o)
            .set({ nextAttemptAt: lease, attempts: sql`${o.attempts} + 1` })
            .where(where)
            .returning();
          if (row) claimed.push(row);
        }
        return claimed;
      });
    },

    /**
     * Records a delivery. With `redact`, the secrets of one-time links in the stored copy are
     * blanked: the email is gone, and the outbox (backups, replicas, 30 days) must not hold live links.
     */
    async markSent(
      email: OutboxEmail,
      worker: string,
      messageId: string | null,
      options: { redact?: boolean } = {},
    ): Promise<void> {
      const now = clock.now();
      const bodies = options.redact
        ? { html: redactLinkSecrets(email.html), text: redactLinkSecrets(email.text) }
        : {};
      await db.transaction(async (tx) => {
        await tx
          .update(o)
          .set({ status: "sent", sentAt: now, messageId, lastError: null, ...bodies })
          .where(and(eq(o.realmId, email.realmId), eq(o.id, email.id)));
        await tx.insert(a).values({
          realmId: email.realmId,
          id: newId("ema", now.getTime()),
          emailId: email.id,
          worker,
          ok: "sent",
          createdAt: now,
        });
      });
    },

    /**
     * Hands back a claimed email that was not tried (its worker is stopping): due now, its claim
     * not counted. Only while this claim's lease holds, so an email another worker has taken since
     * stays theirs. Returns whether it was released.
     */
    async release(email: OutboxEmail): Promise<boolean> {
      const released = await db
        .update(o)
        .set({ nextAttemptAt: clock.now(), attempts: sql`greatest(${o.attempts} - 1, 0)` })
        .where(
          and(
            eq(o.realmId, email.realmId),
            eq(o.id, email.id),
            eq(o.status, "pending"),
            eq(o.nextAttemptAt, email.nextAttemptAt),
          ),
        )
        .returning({ id: o.id });
      return released.length > 0;
    },

    /**
     * Deletes sent and failed emails queued more than RETENTION_DAYS ago, with their attempts, a
     * batch at a time. Rows another worker holds are skipped, never waited for. Returns how many.
     */
    async purge(maxBatches = 20): Promise<number> {
      const cutoff = new Date(clock.now().getTime() - RETENTION_DAYS * 86_400_000);
      const old = and(inArray(o.status, ["sent", "failed"]), lt(o.createdAt, cutoff));
      let deleted = 0;
      for (let i = 0; i < maxBatches; i++) {
        const doomed = db
          .select({ realmId: o.realmId, id: o.id })
          .from(o)
          .where(old)
          .limit(PURGE_BATCH)
          .for("update", { skipLocked: true });
        const rows = await db
          .delete(o)
          .where(and(old, sql`(${o.realmId}, ${o.id}) in (${doomed})`))
          .returning({ id: o.id });
        deleted += rows.length;
        if (rows.length < PURGE_BATCH) break;
      }
      return deleted;
    },

    /** Records a failed attempt: due again after the backoff, or `failed` after the last attempt. */
    async markFailed(email: OutboxEmail, worker: string, error: string): Promise<void> {
      const now = clock.now();
      const message = error.slice(0, 1000);
      const giveUp = email.attempts >= MAX_ATTEMPTS;
      await db.transaction(async (tx) => {
        await tx
          .update(o)
          .set({
            status: giveUp ? "failed" : "pending",
            lastError: message,
            nextAttemptAt: new Date(now.getTime() + backoffMs(email.attempts)),
          })
          // Only while this claim's lease holds: a slow attempt must not put back an email another
          // worker has taken (and perhaps sent) since.
          .where(
            and(
              eq(o.realmId, email.realmId),
              eq(o.id, email.id),
              eq(o.status, "pending"),
              eq(o.nextAttemptAt, email.nextAttemptAt),
            ),
          );
        await tx.insert(a).values({
          realmId: email.realmId,
          id: newId("ema", now.getTime()),
          emailId: email.id,
          worker,
          ok: "failed",
          error: message,
          createdAt: now,
        });
      });
    },

    /** The latest emails, newest first (development mailbox, tests). */
    async latest(options: { realmId?: string; to?: string; limit?: number } = {}): Promise<OutboxEmail[]> {
      const where = and(
        options.realmId ? eq(o.realmId, options.realmId) : undefined,
        options.to ? eq(o.toAddress, options.to) : undefined,
      );
      return db
        .select()
        .from(o)
        .where(where)
        .orderBy(desc(o.createdAt), desc(o.id))
        .limit(Math.min(options.limit ?? 50, 500));
    },

    async find(realmId: string, id: string): Promise<OutboxEmail | null> {
      const [row] = await db
        .select()
        .from(o)
        .where(and(eq(o.realmId, realmId), eq(o.id, id)))
        .limit(1);
      return row ?? null;
    },

    async attempts(realmId: string, emailIds: string[]) {
      if (!emailIds.length) return [];
      return db
        .select()
        .from(a)
        .where(and(eq(a.realmId, realmId), inArray(a.emailId, emailIds)))
        .orderBy(asc(a.createdAt), asc(a.id));
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
