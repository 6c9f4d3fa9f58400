import { and, eq, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { Clock } from "@/lib/clock";
import type { KeyRing } from "@/lib/crypto/keyring";
import { type Db, tables } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { hashRecoveryCode, newRecoveryCodes } from "./recovery-codes";
import { matchTotpStep, newTotpSecret, totpUri } from "./totp";

export interface MfaStatus {
  /** An authenticator app is confirmed: logins need a code. */
  enabled: boolean;
  confirmedAt: Date | null;
  recoveryCodesLeft: number;
}

export interface Enrolment {
  /** Base32 seed, shown once as the manual key and inside the QR code. */
  secret: string;
  uri: string;
}

/** The context a seed is encrypted for: a ciphertext copied to another user's row does not open. */
const sealContext = (realmId: string, userId: string) => `totp:${realmId}:${userId}`;
/** The context of a seed in progress: the user and the flow or session that started it. */
const pendingContext = (realmId: string, userId: string, origin: string) =>
  `totp-pending:${realmId}:${userId}:${origin}`;

/**
 * TOTP credentials and recovery codes of users (DESIGN section 6: secrets encrypted at rest,
 * single-use codes). Codes are checked here; throttling and the login flow live with the callers.
 */
export function createMfa({ db, clock, ring }: { db: Db; clock: Clock; ring: () => Promise<KeyRing> }) {
  const t = tables.totpCredentials;
  const r = tables.recoveryCodes;
  const whereUser = (realmId: string, userId: string) => and(eq(t.realmId, realmId), eq(t.userId, userId));

  /** The seed in progress if `origin` started it, else null (another flow's, or a key gone). */
  async function openPending(sealed: string, realmId: string, userId: string, origin: string) {
    try {
      return (await ring()).decrypt(sealed, pendingContext(realmId, userId, origin));
    } catch {
      return null;
    }
  }

  async function credential(realmId: string, userId: string) {
    const [row] = await db.select().from(t).where(whereUser(realmId, userId)).limit(1);
    return row ?? null;
  }

  async function replaceRecoveryCodes(tx: Db, realmId: string, userId: string): Promise<string[]> {
    const codes = newRecoveryCodes();
    const now = clock.now();
    await tx.delete(r).where(and(eq(r.realmId, realmId), eq(r.userId, userId)));
    await tx.insert(r).values(
      codes.map((code) => ({
        realmId,
        id: newId("rc", now.getTime()),
        userId,
        codeHash: hashRecoveryCode(code) as string,
        createdAt: now,
      })),
    );
    return codes;
  }

  async function keyUsage(realmId?: string): Promise<Map<string, number>> {
    const keyId = sql<string>`split_part(${t.secretSealed}, '.', 2)`;
    const rows = await db
      .select({ keyId, n: sql<number>`count(*)::int` })
      .from(t)
      .where(realmId ? eq(t.realmId, realmId) : undefined)
      .groupBy(keyId);
    return new Map(rows.map((row) => [row.keyId, row.n]));
  }

  /**
   * `verifyTotp` with the reason of a refusal, for events: `replayed` when the code belongs to a
   * time step that was already spent (the user's own code, seen twice), else `wrong`.
   */
  async function checkTotp(
    realmId: string,
    userId: string,
    code: unknown,
  ): Promise<"ok" | "wrong" | "replayed"> {
    const row = await credential(realmId, userId);
    if (!row?.confirmedAt) return "wrong";
    const secret = (await ring()).decrypt(row.secretSealed, sealContext(realmId, userId));
    const step = matchTotpStep(secret, code, clock.now());
    if (step === null) return "wrong";
    const [spent] = await db
      .update(t)
      .set({ lastUsedStep: step, updatedAt: clock.now() })
      .where(
        and(
          whereUser(realmId, userId),
          isNotNull(t.confirmedAt),
          or(isNull(t.lastUsedStep), lt(t.lastUsedStep, step)),
        ),
      )
      .returning({ userId: t.userId });
    return spent ? "ok" : "replayed";
  }

  return {
    async status(realmId: string, userId: string): Promise<MfaStatus> {
      const row = await credential(realmId, userId);
      const [left] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(r)
        .where(and(eq(r.realmId, realmId), eq(r.userId, userId), isNull(r.usedAt)));
      const enabled = !!row?.confirmedAt;
      return {
        enabled,
        confirmedAt: row?.confirmedAt ?? null,
        recoveryCodesLeft: enabled ? (left?.n ?? 0) : 0,
      };
    },

    /**
     * Starts (or restarts) enrolment: a fresh seed, stored encrypted and unconfirmed. Refused while
     * an app is already confirmed (disable it first).
     */
    async beginEnrolment(
      realmId: string,
      userId: string,
      labels: { issuer: string; account: string },
      origin: string,
    ) {
      const existing = await credential(realmId, userId);
      if (existing?.confirmedAt) throw new AppError("mfa.already_enabled");
      const secret = newTotpSecret();
      // A seed in progress is sealed for the one login flow or session that started it: no other
      // (say, someone else's login with the same password) can see it or confirm it.
      const sealed = (await ring()).encrypt(secret, pendingContext(realmId, userId, origin));
      const now = clock.now();
      await db
        .insert(t)
        .values({ realmId, userId, secretSealed: sealed, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: [t.realmId, t.userId],
          set: { secretSealed: sealed, lastUsedStep: null, updatedAt: now },
          setWhere: isNull(t.confirmedAt),
        });
      return { secret, uri: totpUri(secret, labels.issuer, labels.account) } satisfies Enrolment;
    },

    /**
     * The enrolment in progress (begun, not confirmed yet), to show its QR code and key again until
     * it is confirmed or cancelled; null when there is none or the app is already confirmed. The
     * caller decides who may see it (the profile: a session with a recent password).
     */
    async pendingEnrolment(
      realmId: string,
      userId: string,
      labels: { issuer: string; account: string },
      origin: string,
    ): Promise<(Enrolment & { startedAt: Date }) | null> {
      const row = await credential(realmId, userId);
      if (!row || row.confirmedAt) return null;
      const secret = await openPending(row.secretSealed, realmId, userId, origin);
      if (secret === null) return null;
      return { secret, uri: totpUri(secret, labels.issuer, labels.account), startedAt: row.updatedAt };
    },

    /** Drops an enrolment in progress (never a confirmed app); true when there was one. */
    async cancelEnrolment(realmId: string, userId: string): Promise<boolean> {
      const removed = await db
        .delete(t)
        .where(and(whereUser(realmId, userId), isNull(t.confirmedAt)))
        .returning({ userId: t.userId });
      return removed.length > 0;
    },

    /**
     * Confirms the enrolment with a code from the app; returns the recovery codes (shown once).
     * A wrong code throws `mfa.code_invalid` on the `code` field and changes nothing.
     */
    async confirmEnrolment(
      realmId: string,
      userId: string,
      code: unknown,
      origin: string,
    ): Promise<string[]> {
      const row = await credential(realmId, userId);
      if (!row || row.confirmedAt) throw new AppError("mfa.enrolment_missing");
      const secret = await openPending(row.secretSealed, realmId, userId, origin);
      if (secret === null) throw new AppError("mfa.enrolment_missing");
      const step = matchTotpStep(secret, code, clock.now());
      if (step === null) throw AppError.field("mfa.code_invalid", "code");
      // Confirmed, the seed belongs to the user: sealed again for them alone.
      const sealed = (await ring()).encrypt(secret, sealContext(realmId, userId));
      return db.transaction(async (tx) => {
        const [confirmed] = await tx
          .update(t)
          .set({ secretSealed: sealed, confirmedAt: clock.now(), lastUsedStep: step, updatedAt: clock.now() })
          .where(and(whereUser(realmId, userId), isNull(t.confirmedAt), eq(t.secretSealed, row.secretSealed)))
          .returning({ userId: t.userId });
        if (!confirmed) throw new AppError("mfa.enrolment_missing");
        return replaceRecoveryCodes(tx, realmId, userId);
      });
    },

    /**
     * Checks a code of the user's confirmed app and spends its time step: of two requests with the
     * same code (or codes of the same or an earlier step), at most one succeeds, also concurrently.
     */
    async verifyTotp(realmId: string, userId: string, code: unknown): Promise<boolean> {
      return (await checkTotp(realmId, userId, code)) === "ok";
    },

    checkTotp,

    /** Spends one recovery code: true for exactly one caller per code. */
    async useRecoveryCode(realmId: string, userId: string, code: unknown): Promise<boolean> {
      const hash = hashRecoveryCode(code);
      if (!hash) return false;
      const [used] = await db
        .update(r)
        .set({ usedAt: clock.now() })
        .where(and(eq(r.realmId, realmId), eq(r.userId, userId), eq(r.codeHash, hash), isNull(r.usedAt)))
        .returning({ id: r.id });
      return !!used;
    },

    /** New recovery codes for a user with 2FA on; the old ones stop working. */
    async regenerateRecoveryCodes(realmId: string, userId: string): Promise<string[]> {
      const row = await credential(realmId, userId);
      if (!row?.confirmedAt) throw new AppError("mfa.not_enabled");
      return db.transaction((tx) => replaceRecoveryCodes(tx, realmId, userId));
    },

    /** Removes the app and the recovery codes (user's own disable, or an admin reset). */
    async disable(realmId: string, userId: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        const removed = await tx.delete(t).where(whereUser(realmId, userId)).returning({ c: t.confirmedAt });
        await tx.delete(r).where(and(eq(r.realmId, realmId), eq(r.userId, userId)));
        return removed.some((row) => row.c !== null);
      });
    },

    /** How many seeds each key sealed (key id → count; all realms or one), for the rotation command. */
    keyUsage,

    /** Key ids that sealed seeds but are not in the ring (with counts): those seeds cannot be read. */
    async missingKeys(realmId?: string): Promise<Array<[string, number]>> {
      const ids = (await ring()).ids;
      return [...(await keyUsage(realmId))].filter(([id]) => !ids.includes(id));
    },

    /** Re-encrypts seeds made with an older key (after a new key was put first). Returns how many. */
    async reencryptStale(realmId?: string): Promise<number> {
      const keys = await ring();
      const rows = await db
        .select()
        .from(t)
        // Confirmed seeds only: one in progress is short-lived and sealed for its flow or session.
        .where(and(isNotNull(t.confirmedAt), realmId ? eq(t.realmId, realmId) : undefined));
      let count = 0;
      for (const row of rows) {
        if (!keys.isStale(row.secretSealed)) continue;
        const context = sealContext(row.realmId, row.userId);
        const sealed = keys.encrypt(keys.decrypt(row.secretSealed, context), context);
        await db
          .update(t)
          .set({ secretSealed: sealed })
          .where(and(whereUser(row.realmId, row.userId), eq(t.secretSealed, row.secretSealed)));
        count++;
      }
      return count;
    },
  };
}

export type Mfa = ReturnType<typeof createMfa>;
