/**
 * The catalogue of error codes: stable dotted names that clients may rely on, with their HTTP
 * status. The user-facing text of each is `error.<code>` in the message catalogue.
 */
export const errorStatus = {
  "request.malformed_json": 400,
  "request.invalid_query": 400,
  "request.too_large": 413,
  "request.unsupported_media_type": 415,
  "method.not_allowed": 405,
  "auth.missing_api_key": 401,
  "auth.invalid_api_key": 401,
  "auth.forbidden": 403,
  "auth.invalid_credentials": 401,
  "auth.reauth_required": 403,
  "csrf.invalid": 403,
  "flow.invalid": 400,
  "reset.link_invalid": 410,
  "realm.not_found": 404,
  "user.not_found": 404,
  "app.not_found": 404,
  "resource.not_found": 404,
  "app.ambiguous": 400,
  "app.none": 400,
  "redirect_uri.invalid": 400,
  "entry.invalid": 400,
  "signup.closed": 403,
  "signup.invitation_required": 403,
  "signup.invitation_invalid": 400,
  "signup.rejected": 400,
  "rate.limited": 429,
  "server.busy": 503,
  "session.limit_reached": 403,
  "lock.not_found": 404,
  "invitation.not_found": 404,
  "session.not_found": 404,
  "email_template.not_found": 404,
  "validation.failed": 422,
  "user.email_taken": 409,
  "user.username_taken": 409,
  "realm.slug_taken": 409,
  "import.row_too_long": 413,
  "import.too_many_rows": 413,
  "import.csv_malformed": 400,
  "import.csv_columns": 400,
  "mfa.already_enabled": 409,
  "mfa.not_enabled": 404,
  "mfa.enrolment_missing": 409,
  "email.link_invalid": 400,
  "email.already_verified": 409,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** Codes that describe one field; they appear in `fields` and in form field errors. */
export type FieldErrorCode =
  | "field.required"
  | "field.too_long"
  | "field.too_short"
  | "field.invalid"
  | "field.invalid_type"
  | "field.unknown"
  | "number.too_small"
  | "number.too_big"
  | "list.too_short"
  | "list.too_long"
  | "field.read_only"
  | "field.unsupported"
  | "email.invalid"
  | "password.too_short"
  | "password.too_long"
  | "slug.invalid"
  | "slug.reserved"
  | "user.email_taken"
  | "user.username_taken"
  | "realm.slug_taken"
  | "list.duplicate"
  | "domain.invalid"
  | "email_from.invalid"
  | "mfa_permission.required"
  | "username.invalid"
  | "password.too_weak"
  | "password.too_common"
  | "password.missing_lower"
  | "password.missing_upper"
  | "password.missing_digit"
  | "password.missing_symbol"
  | "password.contains_identifier"
  | "password.reused"
  | "password.current_invalid"
  | "password.hash_invalid"
  | "password.hash_unsupported"
  | "password.hash_cost_out_of_bounds"
  | "password.both_given"
  | "email.domain_not_allowed"
  | "email.unchanged"
  | "username.disabled"
  | "invitation.email_mismatch"
  | "challenge.failed"
  | "mfa.code_invalid"
  | "mfa.recovery_code_invalid"
  | "template.invalid"
  | "template.too_large"
  | "template.multiline";
