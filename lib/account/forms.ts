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
