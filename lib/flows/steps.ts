import type { PendingStep } from "./pending-flows";

/** What the login knows about the user when it works out what is left to do. */
export interface StepFacts {
  /** What the login has proven so far (`pwd`, `otp`, …). */
  amr: readonly string[];
  /** The password expired or an admin asked for a new one. */
  passwordChange: boolean;
  /** The realm requires a confirmed address and the user's is not. */
  emailUnverified: boolean;
  /** The realm requires profile fields the user lacks (names; lib/flows/complete-profile-step.ts). */
  profileIncomplete: boolean;
  /** The user has a confirmed authenticator app. */
  mfaEnabled: boolean;
  /** The realm's 2FA policy holds this user to a second factor. */
  mfaRequired: boolean;
}

/**
 * What the login still owes, in the order the steps run (DESIGN section 2.1). The second factor
 * comes first: nothing else (choosing a new password, the address) happens for someone who has
 * proven only a password. Missing profile fields (names a realm requires, after a social signup or
 * an import) are asked once the address is settled. Enrolling an authenticator app comes last, once
 * everything else about the account is settled, right before the token.
 */
export function pendingSteps(facts: StepFacts): PendingStep[] {
  const steps: PendingStep[] = [];
  if (facts.mfaEnabled && !facts.amr.includes("otp")) steps.push("second_factor");
  if (facts.passwordChange) steps.push("change_password");
  if (facts.emailUnverified) steps.push("verify_email");
  if (facts.profileIncomplete) steps.push("complete_profile");
  if (facts.mfaRequired && !facts.mfaEnabled) steps.push("enrol_second_factor");
  return steps;
}

/** Whether a session proven by `amr` may mint tokens without the login form (seamless SSO). */
export function sessionLacksSecondFactor(
  amr: readonly string[],
  facts: Pick<StepFacts, "mfaEnabled" | "mfaRequired">,
): boolean {
  return !amr.includes("otp") && (facts.mfaEnabled || facts.mfaRequired);
}
