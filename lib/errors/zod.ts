import type { z } from "zod";
import { AppError, type FieldError } from "./app-error";

const knownCodes = new Set([
  "field.required",
  "field.too_long",
  "field.too_short",
  "field.invalid",
  "field.read_only",
  "field.unsupported",
  "email.invalid",
  "password.too_short",
  "password.too_long",
  "slug.invalid",
  "slug.reserved",
  "number.too_small",
  "number.too_big",
  "list.too_short",
  "list.too_long",
  "list.duplicate",
  "domain.invalid",
  "email_from.invalid",
  "username.invalid",
  "username.disabled",
  "email.domain_not_allowed",
  "email.unchanged",
  "invitation.email_mismatch",
  "password.hash_invalid",
  "password.hash_unsupported",
  "password.hash_cost_out_of_bounds",
  "password.both_given",
  "url.invalid",
  "url.https_required",
  "url.private_host",
  "provider.slug_invalid",
  "provider.preset_fixed",
  "provider.wrong_kind",
  "provider.kind_fixed",
  "scope.invalid",
  "mapping.path_invalid",
]);

/**
 * Our schemas put a catalogue code in each custom message (`z.string().max(254, "field.too_long")`);
 * zod's own issues (wrong type, unknown key) are mapped to the nearest generic code. One issue can
 * name several unknown keys: each becomes its own error at its own path.
 */
export function fieldErrorsFromIssue(issue: z.core.$ZodIssue): FieldError[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      field: [...issue.path.map(String), key].join("."),
      code: "field.unknown",
    }));
  }
  return [fieldErrorFromIssue(issue)];
}

function fieldErrorFromIssue(issue: z.core.$ZodIssue): FieldError {
  const field = issue.path.map(String).join(".") || "_";
  const params: Record<string, string | number> = {};
  if ("minimum" in issue && issue.minimum !== undefined) params.min = Number(issue.minimum);
  if ("maximum" in issue && issue.maximum !== undefined) params.max = Number(issue.maximum);
  if (knownCodes.has(issue.message)) return { field, code: issue.message, params };
  switch (issue.code) {
    case "invalid_type":
      return {
        field,
        code: issue.input === undefined ? "field.required" : "field.invalid_type",
        params: { expected: issue.expected },
      };
    case "too_small":
      return { field, code: sizeCode(issue.origin, "small"), params };
    case "too_big":
      return { field, code: sizeCode(issue.origin, "big"), params };
    default:
      return { field, code: "field.invalid" };
  }
}

/** "Use at least 8 characters" is right for strings only; numbers and lists get their own words. */
function sizeCode(origin: string, side: "small" | "big"): string {
  if (origin === "number" || origin === "int" || origin === "bigint")
    return side === "small" ? "number.too_small" : "number.too_big";
  if (origin === "array" || origin === "set") return side === "small" ? "list.too_short" : "list.too_long";
  return side === "small" ? "field.too_short" : "field.too_long";
}

/** `first`, then those of `more` not already there (same field and code): one list, no repeats. */
export function mergeFieldErrors(first: FieldError[], more: FieldError[]): FieldError[] {
  const out = [...first];
  for (const e of more) if (!out.some((f) => f.field === e.field && f.code === e.code)) out.push(e);
  return out;
}

/**
 * Parses or throws a 422 AppError listing every failing field. `extra` are errors of checks that
 * zod cannot run alone (a password policy that needs the other fields): they join the schema's in
 * the same 422, so a person sees every problem at once.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  extra: FieldError[] = [],
): z.output<S> {
  // reportInput: lets fieldErrorsFromIssue tell "missing" from "wrong type"; inputs stay server-side.
  const result = schema.safeParse(input, { reportInput: true });
  const fields = mergeFieldErrors(
    result.success ? [] : result.error.issues.flatMap(fieldErrorsFromIssue),
    extra,
  );
  if (fields.length) throw new AppError("validation.failed", { fields });
  return result.data as z.output<S>;
}
