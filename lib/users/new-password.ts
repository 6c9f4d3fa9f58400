import type { FieldError } from "@/lib/errors";
import { checkPasswordPolicy, type PasswordIdentity, passwordPolicyOf } from "@/lib/passwords/policy";
import { strengthEstimator } from "@/lib/passwords/strength";
import type { Realm } from "@/lib/realms";

/**
 * The realm's password policy, server side: the authority on every path that sets a password
 * (API create, signup, setPassword). Runs before any hashing, so a password the realm refuses
 * (too long included) never costs a bcrypt round.
 */
export function newPasswordErrors(
  realm: Pick<Realm, "name" | "slug" | "settings">,
  password: unknown,
  identity: PasswordIdentity,
  field = "password",
): FieldError[] {
  // Not a string: the zod schema reports it (required / wrong type).
  if (typeof password !== "string") return [];
  return checkPasswordPolicy({
    policy: passwordPolicyOf(realm),
    password,
    identity,
    estimator: strengthEstimator(),
    field,
  });
}

const text = (value: unknown) => (typeof value === "string" ? value : null);

/**
 * The identity in a raw create or signup body, read loosely (the zod schema judges the fields
 * themselves): so the password rules run even when another field is wrong, and every problem
 * comes back in one answer.
 */
export function identityFromInput(input: unknown): PasswordIdentity {
  if (typeof input !== "object" || input === null) return {};
  const raw = input as Record<string, unknown>;
  return {
    email: text(raw.email),
    username: text(raw.username),
    firstName: text(raw.first_name),
    lastName: text(raw.last_name),
  };
}

/** Who an existing user is, for the rule against passwords that contain it. */
export function identityOfUser(user: {
  email: string;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
}): PasswordIdentity {
  return { email: user.email, username: user.username, firstName: user.firstName, lastName: user.lastName };
}

/**
 * The policy errors of the `password` of a raw form or API body (none when it has none), for the
 * identity in that body (create, signup) or of the existing user it is for (password step, profile).
 */
export function newPasswordErrorsOfInput(
  realm: Pick<Realm, "name" | "slug" | "settings">,
  input: unknown,
  identity: PasswordIdentity = identityFromInput(input),
) {
  const password =
    typeof input === "object" && input !== null ? (input as { password?: unknown }).password : undefined;
  return newPasswordErrors(realm, password, identity);
}
