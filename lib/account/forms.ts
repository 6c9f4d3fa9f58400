import { z } from "zod";
import {
  currentPasswordSchema,
  emailSchema,
  newPasswordSchema,
  type PasswordLengthPolicy,
} from "@/lib/users/fields";

/**
 * The profile's "Change password" form. Pure zod over the shared field schemas, so the client
 * validates inline with the very schema the server enforces. Strength, blocklist and history rules
 * need the user and run on the server (`users.setPassword`).
 */
export function changePasswordFormSchema(policy: PasswordLengthPolicy) {
  return z.object({
    current_password: currentPasswordSchema,
    password: newPasswordSchema(policy),
  });
}

export type ChangePasswordForm = z.input<ReturnType<typeof changePasswordFormSchema>>;

/**
 * The profile's "Change email address" form: the new address and the current password. The realm's
 * rules about the address (not the current one, the domain lists, not taken) run on the server.
 */
export function changeEmailFormSchema() {
  return z.object({
    email: emailSchema,
    current_password: currentPasswordSchema,
  });
}

export type ChangeEmailForm = z.input<ReturnType<typeof changeEmailFormSchema>>;

/** The profile's "Confirm your password" before changes to two-step verification. */
export function confirmPasswordFormSchema() {
  return z.object({ current_password: currentPasswordSchema });
}

/**
 * A code typed into a 2FA form: bounded here, judged by lib/mfa (six digits of the authenticator
 * app, spaces allowed; or a recovery code), so every wrong code gets the same `mfa.code_invalid`.
 */
const codeField = z.string().max(64, "field.too_long").trim();

/** "Confirm" of the setup: the code the new app shows. */
export function totpConfirmFormSchema() {
  return z.object({ code: codeField.min(1, "field.required") });
}

/**
 * "Turn off": a current code of the app, or (when the device is lost) one of the recovery codes.
 * One of the two is required; the error goes to `code`, the field the form shows first.
 */
export function disableMfaFormSchema() {
  return z
    .object({ code: codeField.optional().default(""), recovery_code: codeField.optional().default("") })
    .superRefine((form, ctx) => {
      if (!form.code && !form.recovery_code)
        ctx.addIssue({ code: "custom", path: ["code"], message: "field.required" });
    });
}
