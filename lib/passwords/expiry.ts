/**
 * Why a user must choose a new password before the login may finish, if at all: an admin asked
 * for it, or the realm's opt-in expiry (NIST SP 800-63B advises against periodic expiry; it is off
 * unless a realm sets `password_expiry_days`) has passed since the user last chose one.
 */
export type PasswordChangeReason = "required" | "expired";

export function passwordChangeReason(
  credential: { mustChange: boolean; changedAt: Date },
  expiryDays: number | null,
  now: Date,
): PasswordChangeReason | null {
  if (credential.mustChange) return "required";
  if (expiryDays === null) return null;
  const due = credential.changedAt.getTime() + expiryDays * 86_400_000;
  return now.getTime() >= due ? "expired" : null;
}
