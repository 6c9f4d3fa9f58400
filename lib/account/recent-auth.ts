import type { Clock } from "@/lib/clock";
import { AppError } from "@/lib/errors";
import { passwordUsable } from "@/lib/passwords/password-login";
import type { Realm } from "@/lib/realms";
import type { Session } from "@/lib/sessions";
import type { Users } from "@/lib/users";

/**
 * Recent authentication ("sudo mode"): changes that would hand the account to whoever holds a
 * stolen or unattended session need the user to have proven who they are in THIS session within
 * the last RECENT_AUTH_MINUTES. How they prove it depends on what they have:
 *
 * - `password` (the user has a password the realm accepts): the proof is
 *   `sessions.password_verified_at`, set when a login that checked the password creates the session
 *   (amr `pwd`: a password login, a signup, a reset that chose a new password) and whenever the
 *   profile checks the current password (its "Confirm your password" form, a password or email
 *   change). A social login does not count for such a user: the password is the stronger proof they
 *   hold, and asking for it is what the profile did before social login existed.
 * - `login` (no password, or the realm is social-only, `password_login: false`): there is no
 *   password to ask for, so the proof is signing in again. The session's `created_at` is the time of
 *   an interactive login: sessions are created only when a login flow finishes (a password, a social
 *   provider, a reset link; lib/flows/login-flows.ts `finish`), seamless SSO reuses a session and
 *   never creates one, and each login replaces the browser's previous session with a new one. The
 *   profile's "Sign in again" goes to `/login?prompt=login&return_to=profile`, which skips seamless
 *   SSO, so the browser comes back with a brand-new session whose creation is the fresh proof. No
 *   flow code (the social callback included) needs to record anything for this.
 *
 * Seamless SSO, a session found by its cookie, or a second factor alone never refresh the proof.
 * It guards: starting a 2FA enrolment (and seeing its unconfirmed key again), regenerating
 * recovery codes, turning 2FA off (which also needs a current code), and removing a linked
 * account. Like GitHub's sudo mode and Google's re-prompt, the window is fixed from the proof, not
 * sliding with activity.
 */
export const RECENT_AUTH_MINUTES = 15;

const WINDOW_MS = RECENT_AUTH_MINUTES * 60_000;

/** How the user proves it is them again: their password, or signing in again (no usable password). */
export type ReauthMethod = "password" | "login";

type ProofFields = Pick<Session, "passwordVerifiedAt" | "createdAt">;

/** When this session last proved the user, for that method; null when it never did. */
export function lastProof(session: ProofFields, method: ReauthMethod): Date | null {
  if (method === "password") return session.passwordVerifiedAt;
  // The login that created the session, or a later password proof (a password since removed).
  const verified = session.passwordVerifiedAt;
  return verified && verified > session.createdAt ? verified : session.createdAt;
}

/** Until when the session's proof counts, or null when it has none. */
export function recentAuthUntil(session: ProofFields, method: ReauthMethod = "password"): Date | null {
  const proof = lastProof(session, method);
  return proof ? new Date(proof.getTime() + WINDOW_MS) : null;
}

/** Whether the session proved the user (by `method`) within the window at `now`. */
export function isRecent(session: ProofFields, method: ReauthMethod, now: Date): boolean {
  const until = recentAuthUntil(session, method);
  return until !== null && now.getTime() < until.getTime();
}

/** Whether the session proved the password within the window at `now`. */
export function hasRecentPassword(session: ProofFields, now: Date): boolean {
  return isRecent(session, "password", now);
}

export interface RecentAuthStatus {
  method: ReauthMethod;
  /** Until when changes are allowed; null: the user must prove it is them first. */
  until: Date | null;
}

/** Recent authentication of a signed-in user, by the method that fits their account. */
export function createRecentAuth({ users, clock }: { users: Pick<Users, "passwordHash">; clock: Clock }) {
  async function status(realm: Realm, session: Session): Promise<RecentAuthStatus> {
    const hasPassword = (await users.passwordHash(realm.id, session.userId)) !== null;
    const method: ReauthMethod = passwordUsable(realm, hasPassword) ? "password" : "login";
    return {
      method,
      until: isRecent(session, method, clock.now()) ? recentAuthUntil(session, method) : null,
    };
  }

  return {
    status,

    /** Throws `auth.reauth_required` (password) or `auth.reauth_login_required` (sign in again). */
    async require(realm: Realm, session: Session): Promise<void> {
      const { method, until } = await status(realm, session);
      if (until) return;
      throw new AppError(method === "password" ? "auth.reauth_required" : "auth.reauth_login_required");
    },
  };
}

export type RecentAuth = ReturnType<typeof createRecentAuth>;
