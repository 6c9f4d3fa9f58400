import { z } from "zod";

const iso = z
  .date()
  .nullable()
  .transform((d) => d?.toISOString() ?? null);

/** `GET /api/v1/realms/{realm}/users/{id}/lock`: whether and why the user's logins are being refused. */
export const userLockOut = z
  .object({
    userId: z.string(),
    locked: z.boolean(),
    account: z.object({
      failuresThisWindow: z.number(),
      consecutiveFailures: z.number(),
      delayedUntil: iso,
      cappedUntil: iso,
    }),
    pairs: z.array(z.object({ ip: z.string(), failuresThisWindow: z.number(), lockedUntil: iso })),
  })
  .transform((l) => ({
    object: "user_lock" as const,
    user_id: l.userId,
    locked: l.locked,
    account: {
      failures_this_hour: l.account.failuresThisWindow,
      consecutive_failures: l.account.consecutiveFailures,
      delayed_until: l.account.delayedUntil,
      capped_until: l.account.cappedUntil,
    },
    addresses: l.pairs.map((p) => ({
      ip: p.ip,
      failures_this_hour: p.failuresThisWindow,
      locked_until: p.lockedUntil,
    })),
  }));
