import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db";
import type { EmailTokens, Mailer } from "@/lib/email";
import type { LoginNotices } from "@/lib/email/login-notices";
import { parseOrThrow } from "@/lib/errors";
import type { Events, RequestContext } from "@/lib/events";
import type { Mfa } from "@/lib/mfa";
import type { PasswordHasher } from "@/lib/passwords";
import type { Realm } from "@/lib/realms";
import type { Session, Sessions } from "@/lib/sessions";
import type { Throttle } from "@/lib/throttle";
import { identityOfUser, newPasswordErrorsOfInput, type Users } from "@/lib/users";
import { createCurrentPasswordCheck } from "./current-password";
import { createEmailChange } from "./email-change";
import { changePasswordFormSchema } from "./forms";
import { createLinkedAccounts, type LinkedAccountsDeps } from "./linked-accounts";
import { createRecentAuth } from "./recent-auth";
import { createTwoFactor } from "./two-factor";

/** Who ends a session: the user on their profile page, or an admin through the API (with the key). */
export type Actor =
  | { via: "profile"; context: RequestContext }
  | { via: "api"; key: string; context?: RequestContext };

/**
 * A user's own account: their sessions, their password and their email address. Shared by the
 * profile page (the user acting on themselves) and the management API (an admin acting on a user).
 * Every end is an event.
 */
export function createAccount(deps: {
  db: Db;
  users: Users;
  sessions: Sessions;
  hasher: PasswordHasher;
  events: Events;
  throttle: Throttle;
  mailer: Mailer;
  emailTokens: EmailTokens;
  realmUrl: (realm: Pick<Realm, "slug">) => string;
  notices: LoginNotices;
  clock: Clock;
  mfa: Mfa;
  identities: LinkedAccountsDeps["identities"];
}) {
  const { users, sessions, events } = deps;
  const checkCurrentPassword = createCurrentPasswordCheck(deps);
  const recentAuth = createRecentAuth(deps);

  async function recordEnds(realmId: string, ended: Session[], actor: Actor, reason: string) {
    for (const session of ended) {
      await events.record({
        realmId,
        type: "session.ended",
        userId: session.userId,
        sessionId: session.id,
        context: actor.context,
        data: actor.via === "api" ? { via: "api", key: actor.key, reason } : { via: "profile", reason },
      });
    }
  }

  return {
    /** How this session proves the user again, and until when its proof counts (./recent-auth.ts). */
    recentAuthStatus: recentAuth.status,
    ...createLinkedAccounts({ ...deps, recentAuth }),
    ...createEmailChange({ ...deps, checkCurrentPassword, recentAuth }),
    ...createTwoFactor({
      ...deps,
      checkCurrentPassword,
      async endAllSessions(realmId, userId, actor, reason) {
        const ended = await sessions.endAll(realmId, userId, null);
        await recordEnds(realmId, ended, actor, reason);
        return ended.length;
      },
    }),

    /** Ends one session of the user; null (and nothing ended) when it is not theirs or not there. */
    async endSession(
      realmId: string,
      userId: string,
      sessionId: string,
      actor: Actor,
    ): Promise<Session | null> {
      const ended = await sessions.endOne(realmId, userId, sessionId);
      if (ended) await recordEnds(realmId, [ended], actor, "ended");
      return ended;
    },

    /** Ends all the user's sessions, or all but `exceptSessionId`; returns how many ended. */
    async endSessions(
      realmId: string,
      userId: string,
      exceptSessionId: string | null,
      actor: Actor,
    ): Promise<number> {
      const ended = await sessions.endAll(realmId, userId, exceptSessionId);
      await recordEnds(realmId, ended, actor, exceptSessionId ? "ended_others" : "ended_all");
      return ended.length;
    },

    /**
     * The signed-in user changes their password: the current one must match (else the field error
     * `password.current_invalid`, throttled like a login), the new one passes the realm's rules in
     * `users.setPassword`, and then every other session of the user ends while `current` stays.
     * Returns how many ended.
     */
    async changePassword(
      realm: Realm,
      current: Session,
      input: unknown,
      context: RequestContext,
    ): Promise<number> {
      // Every rule of the new password at once: the policy's errors join the length check's.
      const user = await users.get(realm.id, current.userId);
      const form = parseOrThrow(
        changePasswordFormSchema({
          min: realm.settings.password_min_length,
          max: realm.settings.password_max_length,
        }),
        input,
        newPasswordErrorsOfInput(realm, input, identityOfUser(user)),
      );
      await checkCurrentPassword(realm, current, form.current_password, context);
      await users.setPassword(realm, current.userId, form.password);
      const ended = await sessions.endOthers(realm.id, current.userId, current.id);
      await events.record({
        realmId: realm.id,
        type: "user.password_changed",
        userId: current.userId,
        sessionId: current.id,
        context,
        data: { via: "profile", ended_sessions: ended },
      });
      return ended;
    },
  };
}

export type Account = ReturnType<typeof createAccount>;
