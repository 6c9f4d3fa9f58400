import { z } from "zod";
import { normalizeIdentifier } from "./normalize";

/**
 * Field schemas shared by the hosted forms (client and server) and the API. Pure zod, no Node
 * imports: client components import this file directly.
 *
 * A bare `z.string()` reports a missing value as `field.required` and a value of another type
 * (`"email": 42` through the API) as `field.invalid_type` (lib/errors/zod.ts).
 */
export const emailSchema = z
  .string()
  .max(254, "field.too_long")
  .transform(normalizeIdentifier)
  // The limit applies again after normalisation: NFKC can expand a character (`ﬃ` → `ffi`).
  .pipe(z.string().min(1, "field.required").max(254, "field.too_long").pipe(z.email("email.invalid")));

/**
 * A username (realm setting `username_mode: "separate"`), normalised like an email (NFKC, trimmed,
 * lower case) and then checked: 2–64 characters of Unicode letters (with their combining marks),
 * decimal digits, `.`, `_` and `-`, starting and ending with a letter or digit. No `@`, so a
 * username can never be mistaken for an email address and one login field can take either.
 */
export const usernameSchema = z
  .string()
  .max(256, "field.too_long")
  .transform(normalizeIdentifier)
  .pipe(
    z
      .string()
      // An empty value is "required", not also "invalid".
      .min(1, { error: "field.required", abort: true })
      .refine(isWellFormedUsername, "username.invalid"),
  );

const USERNAME_SHAPE = /^[\p{L}\p{Nd}](?:[\p{L}\p{M}\p{Nd}._-]*[\p{L}\p{M}\p{Nd}])?$/u;

/** The rule above on an already normalised value; length counts code points, not UTF-16 units. */
export function isWellFormedUsername(value: string): boolean {
  const length = [...value].length;
  return length >= 2 && length <= 64 && USERNAME_SHAPE.test(value);
}

/**
 * What a person types into the login form of a realm with usernames: an email or a username,
 * normalised the same way as both are stored. Deliberately not judged further: the lookup decides.
 */
export const loginIdentifierSchema = z
  .string()
  .max(256, "field.too_long")
  .transform(normalizeIdentifier)
  .pipe(z.string().min(1, "field.required").max(254, "field.too_long"));

export const nameFieldSchema = z.string().trim().max(100, "field.too_long");

export interface PasswordLengthPolicy {
  min: number;
  max: number;
}

/**
 * Length rules only, for inline checks and as the boundary's bound; the whole policy (with the
 * same length rules) is lib/passwords/policy.ts. An empty value is only "required".
 */
export function newPasswordSchema(policy: PasswordLengthPolicy) {
  return z
    .string("field.required")
    .min(1, { error: "field.required", abort: true })
    .min(policy.min, "password.too_short")
    .max(policy.max, "password.too_long");
}

/** A password typed at login: never judged by policy (that would leak it), only bounded. */
export const currentPasswordSchema = z
  .string("field.required")
  .min(1, "field.required")
  .max(1024, "field.too_long");
