import { and, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Apps } from "@/lib/apps";
import type { Clock } from "@/lib/clock";
import { hashSecret, newSecret } from "@/lib/crypto/secrets";
import { type Db, tables } from "@/lib/db";
import { AppError, parseOrThrow } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { type PageQuery, toPage } from "@/lib/pagination";
import type { Realm } from "@/lib/realms";
import { emailSchema } from "@/lib/users/fields";

const DAY_MS = 24 * 60 * 60 * 1000;

export const createInvitationSchema = z.strictObject({
  /** When given, only this address can accept the invitation (the signup form fixes it). */
  email: emailSchema.nullable().optional(),
  expires_in_days: z.number().int().min(1).max(30).optional(),
  /** The app to continue to after signup; goes into the link (`client_id`), not into the row. */
  client_id: z.string().max(64).optional(),
});

/** The secret in an invitation link: what `newSecret()` makes (43 base64url characters). */
const secretSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

type Row = typeof tables.invitations.$inferSelect;

export type InvitationStatus = "pending" | "used" | "expired";

export interface Invitation {
  realmId: string;
  id: string;
  email: string | null;
  expiresAt: Date;
  usedAt: Date | null;
  usedBy: string | null;
  createdAt: Date;
  status: InvitationStatus;
}

export interface InvitationDeps {
  db: Db;
  clock: Clock;
  apps: Apps;
  realmUrl: (realm: Pick<Realm, "slug">) => string;
}

/**
 * Invitations to sign up (realm setting `signup_mode: "invitation"`). The link carries a 256-bit
 * secret shown once; only its SHA-256 is stored. Accepting one is single use: the claim is one
 * conditional UPDATE inside the new user's transaction, so of N concurrent signups one wins.
 */
export function createInvitations({ db, clock, apps, realmUrl }: InvitationDeps) {
  const inv = tables.invitations;
  const toInvitation = ({ tokenHash: _hash, ...row }: Row): Invitation => ({
    ...row,
    status: row.usedAt ? "used" : row.expiresAt <= clock.now() ? "expired" : "pending",
  });

  return {
    /** A new invitation and its link; the link (with the secret) exists only in this return value. */
    async create(realm: Realm, input: unknown): Promise<{ invitation: Invitation; url: string }> {
      const data = parseOrThrow(createInvitationSchema, input);
      if (data.client_id && !(await apps.find(realm.id, data.client_id))) {
        throw new AppError("validation.failed", { fields: [{ field: "client_id", code: "app.not_found" }] });
      }
      const secret = newSecret();
      const now = clock.now();
      const [row] = await db
        .insert(inv)
        .values({
          realmId: realm.id,
          id: newId("inv"),
          tokenHash: hashSecret(secret),
          email: data.email ?? null,
          expiresAt: new Date(now.getTime() + (data.expires_in_days ?? 7) * DAY_MS),
          createdAt: now,
        })
        .returning();
      if (!row) throw new Error("insert returned no row");
      const url = new URL(`${realmUrl(realm)}/signup`);
      url.searchParams.set("invitation", secret);
      if (data.client_id) url.searchParams.set("client_id", data.client_id);
      return { invitation: toInvitation(row), url: url.href };
    },

    async list(realmId: string, page: PageQuery) {
      const rows = await db
        .select()
        .from(inv)
        .where(and(eq(inv.realmId, realmId), page.after ? gt(inv.id, page.after) : undefined))
        .orderBy(inv.id)
        .limit(page.limit + 1);
      return toPage(rows, page.limit, toInvitation);
    },

    /** Revoking deletes the row: its link stops working at once, used or not. */
    async revoke(realmId: string, id: string): Promise<void> {
      const deleted = await db
        .delete(inv)
        .where(and(eq(inv.realmId, realmId), eq(inv.id, id)))
        .returning({ id: inv.id });
      if (deleted.length === 0) throw new AppError("invitation.not_found");
    },

    /** The unused, unexpired invitation behind a link's secret, or null (malformed ones included). */
    async findUsable(realmId: string, secret: unknown): Promise<Invitation | null> {
      const parsed = secretSchema.safeParse(secret);
      if (!parsed.success) return null;
      const [row] = await db
        .select()
        .from(inv)
        .where(
          and(
            eq(inv.realmId, realmId),
            eq(inv.tokenHash, hashSecret(parsed.data)),
            isNull(inv.usedAt),
            gt(inv.expiresAt, clock.now()),
          ),
        )
        .limit(1);
      return row ? toInvitation(row) : null;
    },

    /**
     * Marks the invitation used by `userId`, inside the caller's transaction (`tx`). The WHERE
     * re-checks "unused and unexpired" under the row lock, so a concurrent claim that committed
     * first leaves nothing to update here: that signup fails and its transaction rolls back.
     */
    async consume(tx: Db, realmId: string, id: string, userId: string): Promise<void> {
      const now = clock.now();
      const claimed = await tx
        .update(inv)
        .set({ usedAt: now, usedBy: userId })
        .where(and(eq(inv.realmId, realmId), eq(inv.id, id), isNull(inv.usedAt), gt(inv.expiresAt, now)))
        .returning({ id: inv.id });
      if (claimed.length === 0) throw new AppError("signup.invitation_invalid");
    },
  };
}

export type Invitations = ReturnType<typeof createInvitations>;
