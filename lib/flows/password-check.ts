import type { App } from "@/lib/apps";
import { AppError } from "@/lib/errors";
import type { RequestContext } from "@/lib/events";
import { requirePasswordLogin } from "@/lib/passwords/password-login";
import type { Realm } from "@/lib/realms";
import type { Users } from "@/lib/users";
import type { LoginFlowDeps } from "./login-flows";

/** The user and their password credential, as `users.findForLogin` finds them. */
export type LoginCandidate = NonNullable<Awaited<ReturnType<Users["findForLogin"]>>>;

export interface PasswordAttempt {
  realm: Realm;
  /** What the user typed to name the account (throttled per account and IP). */
  identifier: string;
  password: string;
  found: LoginCandidate | null;
  app: App | null;
  context: RequestContext;
  /** The `method` of a `user.login_failed` event: `password`, or the step that asked. */
  method: string;
}

/**
 * One password check for every place that asks for a password to let someone in (the login form,
 * the "link your account" step of a social login): throttled per account and IP, the time of one
 * hash whether or not the account exists or has a password, one refusal for every failure, events
 * and lock notices. On success the hash is upgraded when the realm's cost changed.
 */
export function createPasswordCheck(
  deps: Pick<LoginFlowDeps, "users" | "hasher" | "throttle" | "events" | "notices">,
) {
  const { users, hasher, throttle, events, notices } = deps;

  return async function checkPassword(attempt: PasswordAttempt): Promise<LoginCandidate & { hash: string }> {
    const { realm, found, password, context } = attempt;
    // A social-only realm takes no password anywhere, whatever the account (lib/passwords/password-login.ts).
    requirePasswordLogin(realm);
    const appId = attempt.app?.id ?? null;
    // Counted as a failure before the password is looked at (lib/throttle). A refused attempt is
    // never evaluated, yet fails like a wrong password: same answer, the time of one hash.
    const reservation = await throttle.reserveLogin({
      realm,
      userId: found?.user.id ?? null,
      identifier: attempt.identifier,
      ip: context.ip,
    });
    let failure: string | null = reservation.refusal;
    if (failure) {
      await hasher.verifyAgainstNothing(password, realm.settings.bcrypt_cost);
    } else if (!found?.hash) {
      await hasher.verifyAgainstNothing(password, realm.settings.bcrypt_cost);
      failure = found ? "no_password" : "unknown_user";
    } else if (!(await hasher.verify(password, found.hash))) {
      failure = "wrong_password";
    } else if (found.user.state !== "active") {
      failure = "inactive";
    }
    if (failure || !found?.hash) {
      await events.record({
        realmId: realm.id,
        type: "user.login_failed",
        userId: found?.user.id ?? null,
        appId,
        context,
        data: { reason: failure, method: attempt.method },
      });
      if (reservation.lockStarted) {
        await events.record({
          realmId: realm.id,
          type: "user.locked",
          userId: found?.user.id ?? null,
          appId,
          context,
          data: {
            scope: "account_ip",
            until: reservation.lockStarted.until.toISOString(),
            failures: reservation.lockStarted.failures,
          },
        });
        // An identifier that names no account was "locked" too, and answers the same: no email.
        if (found) {
          await notices.accountLocked({
            realm,
            user: found.user,
            app: attempt.app,
            until: reservation.lockStarted.until,
            context,
          });
        }
      }
      throw new AppError("auth.invalid_credentials");
    }
    await reservation.succeeded();
    if (hasher.needsRehash(found.hash, realm.settings.bcrypt_cost)) {
      await users.replacePasswordHash(
        realm.id,
        found.user.id,
        await hasher.hash(password, realm.settings.bcrypt_cost),
        found.hash,
      );
    }
    return { ...found, hash: found.hash };
  };
}
