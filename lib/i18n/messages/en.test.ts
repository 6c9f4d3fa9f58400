import { describe, expect, it } from "vitest";
import { type ErrorCode, errorStatus, type FieldErrorCode } from "@/lib/errors/codes";
import { en } from "./en";

// `satisfies` makes the type checker fail here when a FieldErrorCode is added without a listing.
const fieldErrorCodes = Object.keys({
  "field.required": true,
  "field.too_long": true,
  "field.too_short": true,
  "field.invalid": true,
  "field.invalid_type": true,
  "field.unknown": true,
  "number.too_small": true,
  "number.too_big": true,
  "list.too_short": true,
  "list.too_long": true,
  "field.read_only": true,
  "field.unsupported": true,
  "email.invalid": true,
  "password.too_short": true,
  "password.too_long": true,
  "slug.invalid": true,
  "slug.reserved": true,
  "user.email_taken": true,
  "realm.slug_taken": true,
  "user.username_taken": true,
  "list.duplicate": true,
  "domain.invalid": true,
  "email_from.invalid": true,
  "mfa_permission.required": true,
  "username.invalid": true,
  "password.too_weak": true,
  "password.too_common": true,
  "password.missing_lower": true,
  "password.missing_upper": true,
  "password.missing_digit": true,
  "password.missing_symbol": true,
  "password.contains_identifier": true,
  "password.reused": true,
  "password.current_invalid": true,
  "password.hash_invalid": true,
  "password.hash_unsupported": true,
  "password.hash_cost_out_of_bounds": true,
  "password.both_given": true,
  "email.domain_not_allowed": true,
  "email.unchanged": true,
  "username.disabled": true,
  "invitation.email_mismatch": true,
  "challenge.failed": true,
  "mfa.code_invalid": true,
  "mfa.recovery_code_invalid": true,
  "template.invalid": true,
  "template.too_large": true,
  "template.multiline": true,
  "url.invalid": true,
  "url.https_required": true,
  "url.private_host": true,
  "provider.slug_invalid": true,
  "provider.preset_fixed": true,
  "provider.wrong_kind": true,
  "provider.kind_fixed": true,
  "scope.invalid": true,
  "mapping.path_invalid": true,
} satisfies Record<FieldErrorCode, true>);

const keys = new Set(Object.keys(en));

describe("English catalogue", () => {
  it.each(Object.keys(errorStatus) as ErrorCode[])("has a message for the error code %s", (code) => {
    expect(keys.has(`error.${code}`)).toBe(true);
  });

  it.each(fieldErrorCodes)("has a message for the field error code %s", (code) => {
    expect(keys.has(`error.${code}`)).toBe(true);
  });

  it("has no empty message", () => {
    for (const [key, text] of Object.entries(en)) expect(text.trim(), key).not.toBe("");
  });

  it("uses only well-formed {placeholders}", () => {
    for (const [key, text] of Object.entries(en)) {
      const braces = text.replace(/\{\w+\}/g, "");
      expect(braces, key).not.toMatch(/[{}]/);
    }
  });
});
