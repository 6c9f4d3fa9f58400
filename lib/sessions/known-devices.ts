import { and, count, desc, eq, lt, notInArray, or } from "drizzle-orm";
import type { Clock } from "@/lib/clock";
import { hashSecret } from "@/lib/crypto/secrets";
import { type Db, tables } from "@/lib/db";

/** Devices remembered per user; the least recently seen beyond this are forgotten. */
export const DEVICES_PER_USER = 50;
/** A device not seen for this long has lost its cookie anyway (lib/http/cookies.ts DEVICE_COOKIE_DAYS). */
const FORGET_AFTER_MS = 400 * 86_400_000;

/** What one login tells about its device. */
export interface DeviceSighting {
  /** The user had not logged in from this device before. */
  isNew: boolean;
  /** The user had logged in from some other device before (so "new" means something). */
  knewOthers: boolean;
}

/**
 * The browsers each user has logged in from (table `known_devices`), by the SHA-256 of the
 * device cookie's secret: the same secret from a stolen database is worth nothing to an attacker.
 */
export function createKnownDevices({ db, clock }: { db: Db; clock: Clock }) {
  const d = tables.knownDevices;
  const ofUser = (realmId: string, userId: string) => and(eq(d.realmId, realmId), eq(d.userId, userId));

  /** Keeps the user's DEVICES_PER_USER most recently seen devices, none older than the cookie. */
  async function prune(realmId: string, userId: string, now: Date) {
    const keep = db
      .select({ hash: d.deviceHash })
      .from(d)
      .where(ofUser(realmId, userId))
      .orderBy(desc(d.lastSeenAt), desc(d.deviceHash))
      .limit(DEVICES_PER_USER);
    await db
      .delete(d)
      .where(
        and(
          ofUser(realmId, userId),
          or(lt(d.lastSeenAt, new Date(now.getTime() - FORGET_AFTER_MS)), notInArray(d.deviceHash, keep)),
        ),
      );
  }

  return {
    /** Records a login of `userId` from the device whose cookie holds `secret`. */
    async sighted(realmId: string, userId: string, secret: string): Promise<DeviceSighting> {
      const now = clock.now();
      const deviceHash = hashSecret(secret);
      const [inserted] = await db
        .insert(d)
        .values({ realmId, userId, deviceHash, firstSeenAt: now, lastSeenAt: now })
        .onConflictDoNothing()
        .returning({ hash: d.deviceHash });
      if (!inserted) {
        await db
          .update(d)
          .set({ lastSeenAt: now })
          .where(and(ofUser(realmId, userId), eq(d.deviceHash, deviceHash)));
        return { isNew: false, knewOthers: true };
      }
      const [row] = await db.select({ n: count() }).from(d).where(ofUser(realmId, userId));
      await prune(realmId, userId, now);
      return { isNew: true, knewOthers: (row?.n ?? 0) > 1 };
    },
  };
}

export type KnownDevices = ReturnType<typeof createKnownDevices>;
