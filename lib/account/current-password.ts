import type { LoginNotices } from "@/lib/email/login-notices";
import { AppError } from "@/lib/errors";
import type { Events, RequestContext } from "@/lib/events";
import type { PasswordHasher } from "@/lib/passwords";
import { requirePasswordLogin } from "@/lib/passwords/password-login";
import type { Realm } from "@/lib/realms";
import type { Session, Sessions } from "@/lib/sessions";
import type { Throttle } from "@/lib/throttle";
import type { Users } from "@/lib/users";

export interface CurrentPasswordDeps {
  users: Users;
  hasher: PasswordHasher;
  events: Events;
  throttle: Throttle;
  notices: LoginNotices;
  sessions: Pick<Sessions, "markPasswordVerified">;
}

/**
 * The signed-in user proves it is them before a sensitive change (password, email address): the
 * current password must match, else the field error `password.current_invalid` on `current_password`.
 * Guessing it (a stolen session) spends the same throttle budget as guessing it at login: reserved
 * first, and a refused attempt is never evaluated yet looks the same. Every failure is an event.
 * A match is a fresh proof of the password for this session (recent authentication, ./recent-auth.ts).
 */
export function createCurrentPasswordCheck(deps: CurrentPasswordDeps) {
  const { users, hasher, events, throttle, notices, sessions } = deps;
  return async function checkCurrentPassword(
    realm: Realm,
    current: Session,
    password: string,
    context: RequestContext,
  ): Promise<void> {
    // No password counts in a social-only realm: the profile's password forms refuse (and a user
    // re-authenticates by signing in again, ./recent-auth.ts).
    requirePasswordLogin(realm);
    const attempt = await throttle.reserveLogin({
      realm,
      userId: current.userId,
      identifier: current.userId,
      ip: context.ip,
    });
    const hash = attempt.refusal ? null : await users.passwordHash(realm.id, current.userId);
    let matches = false;
    if (hash) matches = await hasher.verify(password, hash);
    // The same cost without a password: a session thief learns nothing from the timing.
    else await hasher.verifyAgainstNothing(password, realm.settings.bcrypt_cost);
    if (matches) {
      await attempt.succeeded();
      await sessions.markPasswordVerified(realm.id, current.id);
      return;
    }
    await events.record({
      realmId: realm.id,
      type: "user.login_failed",
      userId: current.userId,
      sessionId: current.id,
      context,
      data: {
        reason: attempt.refusal ?? (hash ? "wrong_password" : "no_password"),
        method: "password",
        via: "profile",
      },
    });
    if (attempt.lockStarted) {
      await events.record({
        realmId: realm.id,
        type: "user.locked",
        userId: current.userId,
        sessionId: current.id,
        context,
        data: {
          scope: "account_ip",
          until: attempt.lockStarted.until.toISOString(),
          failures: attempt.lockStarted.failures,
        },
      });
      const user = await users.find(realm.id, current.userId);
      if (user)
        await notices.accountLocked({ realm, user, app: null, until: attempt.lockStarted.until, context });
    }
    throw AppError.field("password.current_invalid", "current_password");
  };
}

export type CheckCurrentPassword = ReturnType<typeof createCurrentPasswordCheck>;
