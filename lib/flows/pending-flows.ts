import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { Clock } from "@/lib/clock";
import { hashSecret, newSecret } from "@/lib/crypto/secrets";
import { type Db, tables } from "@/lib/db";
import { newId } from "@/lib/ids";

/**
 * A step the login must pass before a token is issued (DESIGN section 2.1), in the order they run:
 * the second factor first (the user proves who they are before anything else happens), enrolment
 * of one (when the realm requires it and the user has none) last.
 */
export type PendingStep =
  | "second_factor"
  | "change_password"
  | "verify_email"
  | "complete_profile"
  | "enrol_second_factor"
  // Social login (lib/flows/social-login.ts): not steps `advance` computes. `social_callback` carries
  // state, nonce and PKCE verifier between the redirect to a provider and its callback (no page);
  // `link_identity` waits for the password of the account a new identity is to be linked to.
  | "social_callback"
  | "link_identity";

/** Counters a step keeps on its flow row (in `data`), bumped atomically by `bump`. */
export type FlowCounter = "mfa_attempts" | "mfa_failures";

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
  /** Null only while nobody is known yet (a social login waiting for the provider's callback). */
  userId: string | null;
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

    /**
     * Adds one to a counter of a live flow and returns the new value, atomically (of N concurrent
     * bumps each sees a different value). Null when the flow was spent or has expired.
     */
    async bump(realmId: string, id: string, counter: FlowCounter): Promise<number | null> {
      const value = sql`coalesce((${f.data}->>${counter})::int, 0) + 1`;
      const [row] = await db
        .update(f)
        .set({ data: sql`jsonb_set(${f.data}, ${`{${counter}}`}::text[], to_jsonb(${value}))` })
        .where(and(eq(f.realmId, realmId), eq(f.id, id), gt(f.expiresAt, clock.now())))
        .returning({ value: sql<number>`(${f.data}->>${counter})::int` });
      return row ? Number(row.value) : null;
    },

    /**
     * Records on a live flow what a step proved while the flow waits on that step (the authenticator
     * app confirmed during enrolment): adds an `amr` value (once) and merges `data`, only while
     * `unless` is not yet a key of its data, so exactly one caller wins. Returns the updated flow, or
     * null.
     */
    async record(
      realmId: string,
      id: string,
      change: { amr: string; data: Record<string, unknown>; unless: string },
    ): Promise<PendingFlow | null> {
      const [row] = await db
        .update(f)
        .set({
          amr: sql`case when ${change.amr}::text = any(${f.amr}) then ${f.amr} else array_append(${f.amr}, ${change.amr}::text) end`,
          data: sql`${f.data} || ${JSON.stringify(change.data)}::jsonb`,
        })
        .where(
          and(
            eq(f.realmId, realmId),
            eq(f.id, id),
            gt(f.expiresAt, clock.now()),
            sql`(${f.data} -> ${change.unless}::text) is null`,
          ),
        )
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
