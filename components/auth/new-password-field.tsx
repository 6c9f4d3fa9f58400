"use client";

import { TextField, type TextFieldProps } from "@/components/ui/text-field";
import type { PasswordIdentity, PasswordPolicy } from "@/lib/passwords/policy";
import { loadStrengthEstimator } from "@/lib/passwords/strength-loader";
import { PasswordRules } from "./password-rules";
import { StrengthMeter } from "./strength-meter";

/**
 * The field for choosing a password (signup, reset, change): the realm's rules as its hint, a live
 * strength meter when the realm asks for a minimum strength, and every failing rule at once.
 */
export function NewPasswordField({
  policy,
  identity,
  password,
  ...field
}: Omit<TextFieldProps, "hint" | "children" | "type"> & {
  policy: PasswordPolicy;
  /** Who the password is for, as typed so far: the meter scores with it like the server does. */
  identity: PasswordIdentity;
  /** What is typed so far (react-hook-form's `watch`), for the meter. */
  password: string;
}) {
  return (
    <TextField
      type="password"
      autoComplete="new-password"
      required
      hint={<PasswordRules policy={policy} />}
      // Start fetching zxcvbn as soon as the person heads for the field.
      onFocus={policy.strengthMin > 0 ? () => void loadStrengthEstimator().catch(() => {}) : undefined}
      {...field}
    >
      {policy.strengthMin > 0 ? (
        <StrengthMeter id={`${field.id}-strength`} password={password} policy={policy} identity={identity} />
      ) : null}
    </TextField>
  );
}
