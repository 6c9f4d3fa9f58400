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

/** The policy errors of the `password` of a raw create/signup body (none when it has none). */
export function newPasswordErrorsOfInput(realm: Pick<Realm, "name" | "slug" | "settings">, input: unknown) {
  const password =
    typeof input === "object" && input !== null ? (input as { password?: unknown }).password : undefined;
  return newPasswordErrors(realm, password, identityFromInput(input));
}
