import { z } from "zod";
import { normalizeIdentifier } from "./normalize";

/**
 * Field schemas shared by the hosted forms (client and server) and the API. Pure zod, no Node
 * imports: client components import this file directly.
 */
export const emailSchema = z
  .string("field.required")
  .max(254, "field.too_long")
  .transform(normalizeIdentifier)
  // The limit applies again after normalisation: NFKC can expand a character (`ﬃ` → `ffi`).
  .pipe(z.string().min(1, "field.required").max(254, "field.too_long").pipe(z.email("email.invalid")));

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
