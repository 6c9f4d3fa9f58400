import { and, eq } from "drizzle-orm";
import type { Clock } from "@/lib/clock";
import { type Db, tables } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Events, RequestContext } from "@/lib/events";
import { passwordUsable } from "@/lib/passwords/password-login";
import type { Realm } from "@/lib/realms";
import type { Session } from "@/lib/sessions";
import type { IdentityView } from "@/lib/social";
import type { Users } from "@/lib/users";
import type { RecentAuth } from "./recent-auth";

/** One linked upstream account as the profile lists it: never its subject or anything secret. */
export interface LinkedAccount {
  id: string;
  providerSlug: string;
  providerName: string;
  /** The address the provider gave at the last login through it, if any. */
  email: string | null;
  linkedAt: Date;
  lastUsedAt: Date | null;
}

const toLinkedAccount = (identity: IdentityView): LinkedAccount => ({
  id: identity.id,
  providerSlug: identity.providerSlug,
  providerName: identity.providerName,
  email: identity.email,
  linkedAt: identity.createdAt,
  lastUsedAt: identity.lastLoginAt,
});

export interface LinkedAccountsDeps {
  db: Db;
  clock: Clock;
  users: Pick<Users, "passwordHash">;
  events: Events;
  identities: {
    listForUser(realmId: string, userId: string): Promise<IdentityView[]>;
    countSignInWays(realmId: string, userId: string, options?: { except?: string; tx?: Db }): Promise<number>;
    unlink(realmId: string, userId: string, id: string, tx?: Db): Promise<{ providerId: string }>;
  };
  recentAuth: RecentAuth;
}

/**
 * The profile's "Linked accounts" (issue 6, item 3): the user's upstream identities, and removing
 * one. A user never removes their last way in: with no usable password (none set, or the realm is
 * social-only), the only identity stays (`social.last_login_method`).
 */
export function createLinkedAccounts(deps: LinkedAccountsDeps) {
  const { db, users, events, identities, recentAuth } = deps;

  return {
    async linkedAccounts(realmId: string, userId: string): Promise<LinkedAccount[]> {
      return (await identities.listForUser(realmId, userId)).map(toLinkedAccount);
    },

    /**
     * "Remove": needs recent authentication like the 2FA changes (./recent-auth.ts); refused when it
     * would leave the user no way to sign in. The check and the removal run in one transaction
     * holding the user's row, so two removals racing (two tabs, two identities) cannot both pass
     * the "another way in remains" check and lock the user out.
     */
    async unlinkIdentity(
      realm: Realm,
      session: Session,
      identityId: unknown,
      context: RequestContext,
    ): Promise<LinkedAccount> {
      if (typeof identityId !== "string" || !identityId || identityId.length > 64)
        throw new AppError("social.identity_not_found");
      await recentAuth.require(realm, session);
      const userId = session.userId;
      const mine = (await identities.listForUser(realm.id, userId)).find((i) => i.id === identityId);
      if (!mine) throw new AppError("social.identity_not_found");
      const hasPassword = (await users.passwordHash(realm.id, userId)) !== null;
      const u = tables.users;
      await db.transaction(async (tx) => {
        await tx
          .select({ id: u.id })
          .from(u)
          .where(and(eq(u.realmId, realm.id), eq(u.id, userId)))
          .for("update");
        // Another way in must remain: a usable password, or an identity at an enabled provider
        // (one at a hidden provider cannot sign in).
        const others = await identities.countSignInWays(realm.id, userId, { except: identityId, tx });
        if (!passwordUsable(realm, hasPassword) && others === 0)
          throw new AppError("social.last_login_method");
        await identities.unlink(realm.id, userId, identityId, tx);
      });
      await events.record({
        realmId: realm.id,
        type: "user.identity_unlinked",
        userId,
        sessionId: session.id,
        context,
        data: { provider: mine.providerSlug, how: "profile" },
      });
      return toLinkedAccount(mine);
    },
  };
}

export type LinkedAccounts = ReturnType<typeof createLinkedAccounts>;
