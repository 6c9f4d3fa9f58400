import { AppError } from "@/lib/errors";
import type { Events } from "@/lib/events";
import type { Users } from "@/lib/users";
import type { Throttle } from "./throttle";

/** Who asked for a lock to be cleared, for the event. */
export interface Actor {
  via: "api";
  key: string;
}

/** What the management API shows and clears about one user's login throttling. */
export function createUserLocks({
  users,
  throttle,
  events,
}: {
  users: Users;
  throttle: Throttle;
  events: Events;
}) {
  return {
    /** Whether logins of this user are being refused right now, until when, and the failure counts. */
    async status(realmId: string, userId: string) {
      const user = await users.get(realmId, userId);
      return { userId: user.id, ...(await throttle.accountState(realmId, user.id)) };
    },

    /**
     * Ends the user's delay, hourly cap and address locks, and forgets their failures. Throws
     * `lock.not_found` when there is nothing to clear (no failure on record, nothing in force).
     */
    async clear(realmId: string, userId: string, actor: Actor): Promise<void> {
      const user = await users.get(realmId, userId);
      const before = await throttle.accountState(realmId, user.id);
      const anything =
        before.locked ||
        before.account.failuresThisWindow > 0 ||
        before.account.consecutiveFailures > 0 ||
        before.pairs.some((p) => p.failuresThisWindow > 0);
      if (!anything) throw new AppError("lock.not_found");
      await throttle.clearAccount(realmId, user.id);
      await events.record({
        realmId,
        type: "user.lock_cleared",
        userId: user.id,
        data: { ...actor, was_locked: before.locked },
      });
    },
  };
}

export type UserLocks = ReturnType<typeof createUserLocks>;
