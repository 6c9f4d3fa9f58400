import { z } from "zod";
import { currentPasswordSchema, newPasswordSchema, type PasswordLengthPolicy } from "@/lib/users/fields";

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
