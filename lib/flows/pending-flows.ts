import { and, eq, gt, lte } from "drizzle-orm";
import type { Clock } from "@/lib/clock";
import { hashSecret, newSecret } from "@/lib/crypto/secrets";
import { type Db, tables } from "@/lib/db";
import { newId } from "@/lib/ids";

/** A step the login must pass before a token is issued (DESIGN section 2.1), in the order they run. */
export type PendingStep = "change_password" | "verify_email";

export type PendingFlow = typeof tables.loginFlows.$inferSelect;

/** How long a login may wait on a pending step before it must start again. */
export const FLOW_MINUTES = 10;

export interface StartFlow {
  realmId: string;
  appId: string | null;
  redirectUri: string | null;
  state: string | undefined;
  /** The login's entry parameters, to resolve (and so re-check) the same entry when the flow ends. */
  entryParams: Record<string, string>;
  userId: string;
  amr: string[];
  isSignup: boolean;
  steps: PendingStep[];
  data?: Record<string, unknown>;
}

/**
 * Login flow rows: a login that has proven something (the password) but still owes a step.
 * The browser holds the flow's secret in an HttpOnly cookie; only its SHA-256 is stored.
 */
export function createPendingFlows({ db, clock }: { db: Db; clock: Clock }) {
  const f = tables.loginFlows;
  return {
    async start(input: StartFlow): Promise<{ flow: PendingFlow; secret: string }> {
      const secret = newSecret();
      const now = clock.now();
      // Abandoned flows go when the next one starts, so the table stays small.
      await db.delete(f).where(lte(f.expiresAt, now));
      const [flow] = await db
        .insert(f)
        .values({
          realmId: input.realmId,
          id: newId("flw"),
          tokenHash: hashSecret(secret),
          appId: input.appId,
          redirectUri: input.redirectUri,
          state: input.state ?? null,
          userId: input.userId,
          isSignup: input.isSignup,
          amr: input.amr,
          pendingSteps: input.steps,
          data: { ...input.data, entry: input.entryParams },
          createdAt: now,
          expiresAt: new Date(now.getTime() + FLOW_MINUTES * 60_000),
        })
        .returning();
      if (!flow) throw new Error("insert returned no row");
      return { flow, secret };
    },

    /** The live flow behind a cookie secret whose next step is `step` (the one its page serves), or null. */
    async find(realmId: string, secret: string | undefined, step: PendingStep): Promise<PendingFlow | null> {
      if (!secret || secret.length > 128) return null;
      const [row] = await db
        .select()
        .from(f)
        .where(and(eq(f.realmId, realmId), eq(f.tokenHash, hashSecret(secret)), gt(f.expiresAt, clock.now())))
        .limit(1);
      return row?.pendingSteps[0] === step ? row : null;
    },

    /**
     * Spends a flow: deleted and returned by exactly one caller, however many race for it.
     * Null when it was already spent or has expired.
     */
    async spend(realmId: string, id: string, tx: Db = db): Promise<PendingFlow | null> {
      const [row] = await tx
        .delete(f)
        .where(and(eq(f.realmId, realmId), eq(f.id, id), gt(f.expiresAt, clock.now())))
        .returning();
      return row ?? null;
    },

    /** Drops the flow behind a cookie secret, if any: a login that finished another way voids it. */
    async discard(realmId: string, secret: string | undefined): Promise<void> {
      if (!secret || secret.length > 128) return;
      await db.delete(f).where(and(eq(f.realmId, realmId), eq(f.tokenHash, hashSecret(secret))));
    },
  };
}

export type PendingFlows = ReturnType<typeof createPendingFlows>;
