import { z } from "zod";
import { currentPasswordSchema, emailSchema, nameFieldSchema, newPasswordSchema } from "@/lib/users/fields";

/**
 * The hosted forms' schemas, used by react-hook-form in the browser and by the server actions.
 * This file must stay importable from client components (zod only).
 */
export const loginFormSchema = z.object({
  email: emailSchema,
  password: currentPasswordSchema,
});

export type LoginForm = z.input<typeof loginFormSchema>;

export interface SignupPolicy {
  passwordMin: number;
  passwordMax: number;
  names: "off" | "optional" | "required";
}

export function signupFormSchema(policy: SignupPolicy) {
  const name =
    policy.names === "required" ? nameFieldSchema.min(1, "field.required") : nameFieldSchema.optional();
  return z.object({
    email: emailSchema,
    password: newPasswordSchema({ min: policy.passwordMin, max: policy.passwordMax }),
    first_name: policy.names === "off" ? z.undefined().optional() : name,
    last_name: policy.names === "off" ? z.undefined().optional() : name,
  });
}

export type SignupForm = z.input<ReturnType<typeof signupFormSchema>>;

/** The "choose a new password" step (expired or admin-required password). */
export function choosePasswordFormSchema(policy: Pick<SignupPolicy, "passwordMin" | "passwordMax">) {
  return z.object({
    password: newPasswordSchema({ min: policy.passwordMin, max: policy.passwordMax }),
  });
}

export type ChoosePasswordForm = z.input<ReturnType<typeof choosePasswordFormSchema>>;
