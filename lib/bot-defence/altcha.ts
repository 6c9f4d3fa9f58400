import { createHash, hkdfSync } from "node:crypto";
import { type Challenge, createChallenge, randomInt, verifySolution } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { lt } from "drizzle-orm";
import { z } from "zod";
import type { Clock } from "@/lib/clock";
import { type Db, tables } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { RealmSettings } from "@/lib/realms";
import { ALTCHA_FIELD } from "./field";

/**
 * How much work one challenge asks for. Deterministic mode: the server picks the counter, the
 * browser derives keys for counters 0, 1, 2, … (split over its workers) until it meets it, so the
 * work is `counter × cost` PBKDF2-SHA256 iterations and never more than `counterMax × cost`.
 */
export interface Difficulty {
  cost: number;
  counterMin: number;
  counterMax: number;
}

/**
 * ≈ 4 million PBKDF2 iterations on average, 6 million at most. Measured in Chromium 156 on the
 * project's 2-core machine (busy): median 1.5 s, at most 2.5 s over ten challenges; one worker does
 * ≈ 3.5 million iterations a second. A phone's slower cores are offset by its 4 workers: a few seconds.
 * The server's own cost per challenge is one PBKDF2 of `cost` iterations (well under a millisecond).
 */
export const defaultDifficulty: Difficulty = { cost: 1000, counterMin: 2000, counterMax: 6000 };

const ALGORITHM = "PBKDF2/SHA-256";
const CHALLENGE_MINUTES = 10;
/** A genuine payload is ≈ 700 characters. */
const PAYLOAD_MAX_LENGTH = 4096;
const PURGE_EVERY_MS = 60_000;
/** Spent rows outlive their challenge a little, so an instance whose clock lags cannot accept a replay. */
const PURGE_GRACE_MS = 5 * 60_000;

/** Lower-case hex of whole bytes, as every solver writes it (altcha-lib throws on odd lengths). */
const hex = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^(?:[0-9a-f]{2})+$/);

/**
 * The widget's payload: base64 of `{challenge: {parameters, signature}, solution}`. Strict on the
 * signed part (an extra key would only fail the signature later), lenient on the solution, of
 * which only `counter` and `derivedKey` count.
 */
const payloadSchema = z.object({
  challenge: z.object({
    parameters: z.strictObject({
      algorithm: z.literal(ALGORITHM),
      cost: z.number().int().min(1).max(1_000_000),
      data: z.strictObject({ realm: z.string().min(1).max(64) }),
      expiresAt: z.number().int().positive(),
      keyLength: z.number().int().min(16).max(64),
      keyPrefix: hex(2, 128),
      keySignature: hex(64, 64),
      nonce: hex(32, 32),
      salt: hex(32, 32),
    }),
    signature: hex(64, 64),
  }),
  solution: z.object({
    counter: z.number().int().min(0).max(0xffffffff),
    derivedKey: hex(2, 128),
  }),
});

type Payload = z.output<typeof payloadSchema>;

function decodePayload(raw: unknown): Payload | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > PAYLOAD_MAX_LENGTH) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(raw, "base64").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Two keys from one secret, each for one purpose (HKDF-SHA256). */
function deriveHmacKeys(secret: string): { signature: string; derivedKey: string } {
  const derive = (purpose: string) =>
    Buffer.from(hkdfSync("sha256", secret, "", `gatehouse altcha ${purpose}`, 32)).toString("hex");
  return { signature: derive("challenge signature"), derivedKey: derive("derived key signature") };
}

export interface AltchaDeps {
  db: Db;
  clock: Clock;
  /** The installation-wide secret the HMAC keys come from; the same on every instance. */
  secret: () => Promise<string>;
  difficulty?: Difficulty;
}

/**
 * Self-hosted proof of work (ALTCHA, v2 challenges) against automated signups: challenges signed
 * with an installation key, bound to one realm, valid for minutes, redeemable once.
 */
export function createAltcha({ db, clock, secret, difficulty = defaultDifficulty }: AltchaDeps) {
  let keys: Promise<ReturnType<typeof deriveHmacKeys>> | undefined;
  const hmacKeys = () => {
    if (!keys) {
      keys = secret().then(deriveHmacKeys);
      // A failed read (database down) is retried by the next caller instead of being remembered.
      keys.catch(() => {
        keys = undefined;
      });
    }
    return keys;
  };

  let lastPurge = 0;
  /** Housekeeping, at most once a minute per instance; a failure here must not fail a signup. */
  async function purgeExpired(now: number) {
    if (now - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now;
    await db
      .delete(tables.spentChallenges)
      .where(lt(tables.spentChallenges.expiresAt, new Date(now - PURGE_GRACE_MS)))
      .catch((error: unknown) => console.error("[altcha] purging spent challenges failed", error));
  }

  /** Whether the realm's protected forms ask for a solved challenge. */
  const enabled = (settings: Pick<RealmSettings, "signup_altcha">): boolean => settings.signup_altcha;

  /**
   * True exactly once per genuine, unexpired solution of a challenge issued for this realm:
   * the challenge is recorded as spent in the same statement that decides (of N concurrent
   * redemptions one inserts the row, the others find it).
   */
  async function redeem(realmId: string, raw: unknown): Promise<boolean> {
    const payload = decodePayload(raw);
    if (!payload) return false;
    const { parameters, signature } = payload.challenge;
    const now = clock.now().getTime();
    // The realm is part of the signed parameters, so a challenge of realm A is worthless in B.
    if (parameters.data.realm !== realmId || parameters.expiresAt * 1000 <= now) return false;
    const { signature: hmacSignatureSecret, derivedKey: hmacKeySignatureSecret } = await hmacKeys();
    const result = await verifySolution({
      challenge: payload.challenge,
      solution: payload.solution,
      deriveKey,
      hmacSignatureSecret,
      hmacKeySignatureSecret,
    });
    if (!result.verified) return false;
    // Only verified payloads reach the table, so garbage cannot fill it.
    const spent = await db
      .insert(tables.spentChallenges)
      .values({
        id: createHash("sha256").update(signature).digest("hex"),
        expiresAt: new Date(parameters.expiresAt * 1000),
      })
      .onConflictDoNothing()
      .returning({ id: tables.spentChallenges.id });
    await purgeExpired(now);
    return spent.length === 1;
  }

  return {
    enabled,

    /** A new challenge for the widget (JSON as the widget expects it). */
    async challenge(realmId: string): Promise<Challenge> {
      const { signature, derivedKey } = await hmacKeys();
      return createChallenge({
        algorithm: ALGORITHM,
        cost: difficulty.cost,
        counter: randomInt(difficulty.counterMax, difficulty.counterMin),
        deriveKey,
        data: { realm: realmId },
        expiresAt: new Date(clock.now().getTime() + CHALLENGE_MINUTES * 60_000),
        hmacSignatureSecret: signature,
        hmacKeySignatureSecret: derivedKey,
      });
    },

    redeem,

    /**
     * The check of a protected form (signup, later forgot-password): nothing when the realm has
     * ALTCHA off, else the field error `challenge.failed` unless the payload redeems.
     */
    async guard(realm: { id: string; settings: Pick<RealmSettings, "signup_altcha"> }, payload: unknown) {
      if (!enabled(realm.settings)) return;
      if (!(await redeem(realm.id, payload))) throw AppError.field("challenge.failed", ALTCHA_FIELD);
    },
  };
}

export type Altcha = ReturnType<typeof createAltcha>;
