import type { Session } from "@/lib/sessions";

/**
 * Recent authentication ("sudo mode"): changes that would hand the account to whoever holds a
 * stolen or unattended session need the password proven in THIS session within the last
 * RECENT_AUTH_MINUTES. The proof is `sessions.password_verified_at`, set when a login that checked
 * the password creates the session (amr `pwd`: a password login, a signup, a reset that chose a new
 * password) and whenever the profile checks the current password (its "Confirm your password" form,
 * a password or email change). Seamless SSO, a session found by its cookie, or a second factor alone
 * never refresh it.
 *
 * It guards: starting a 2FA enrolment (and seeing its unconfirmed key again), regenerating recovery
 * codes, and turning 2FA off (which also needs a current code). Like GitHub's sudo mode and
 * Google's re-prompt, the window is fixed from the proof, not sliding with activity.
 */
export const RECENT_AUTH_MINUTES = 15;

const WINDOW_MS = RECENT_AUTH_MINUTES * 60_000;

/** Until when the session's password proof counts, or null when it has none. */
export function recentAuthUntil(session: Pick<Session, "passwordVerifiedAt">): Date | null {
  return session.passwordVerifiedAt ? new Date(session.passwordVerifiedAt.getTime() + WINDOW_MS) : null;
}

/** Whether the session proved the password within the window at `now`. */
export function hasRecentPassword(session: Pick<Session, "passwordVerifiedAt">, now: Date): boolean {
  const until = recentAuthUntil(session);
  return until !== null && now.getTime() < until.getTime();
}
