import { z } from "zod";
import {
  currentPasswordSchema,
  emailSchema,
  loginIdentifierSchema,
  nameFieldSchema,
  newPasswordSchema,
  usernameSchema,
} from "@/lib/users/fields";

/**
 * The hosted forms' schemas, used by react-hook-form in the browser and by the server actions.
 * This file must stay importable from client components (zod only).
 */
export const loginFormSchema = z.object({
  email: emailSchema,
  password: currentPasswordSchema,
});

/**
 * The login form of a realm with separate usernames: its `email` field (the name is kept so that
 * one form and one flow serve both modes) carries an email address or a username.
 */
export const identifierLoginFormSchema = z.object({
  email: loginIdentifierSchema,
  password: currentPasswordSchema,
});

export type UsernameMode = "email" | "separate";

export function loginFormSchemaFor(mode: UsernameMode) {
  return mode === "separate" ? identifierLoginFormSchema : loginFormSchema;
}

export type LoginForm = z.input<typeof loginFormSchema>;

export interface SignupPolicy {
  passwordMin: number;
  passwordMax: number;
  names: "off" | "optional" | "required";
  /** `separate`: the form asks for a username (required). Absent means `email`. */
  usernameMode?: UsernameMode;
}

/**
 * The signup form's bot trap: a text field people never see or reach (off-screen, `aria-hidden`,
 * out of the tab order). Only a program filling every field it finds puts a value in it.
 */
export const HONEYPOT_FIELD = "website";

/** The field carrying an invitation's secret through the signup form. */
export const INVITATION_FIELD = "invitation";

export function signupFormSchema(policy: SignupPolicy) {
  const name =
    policy.names === "required" ? nameFieldSchema.min(1, "field.required") : nameFieldSchema.optional();
  return z.object({
    email: emailSchema,
    username: policy.usernameMode === "separate" ? usernameSchema : z.undefined().optional(),
    password: newPasswordSchema({ min: policy.passwordMin, max: policy.passwordMax }),
    first_name: policy.names === "off" ? z.undefined().optional() : name,
    last_name: policy.names === "off" ? z.undefined().optional() : name,
  });
}

export type SignupForm = z.input<ReturnType<typeof signupFormSchema>>;

/**
 * Profile fields a realm can require that a login may find missing (an account from a social
 * login, an import or the API): asked by the login's `complete_profile` step. Add a field here, to
 * `missingProfileFields` (lib/flows/complete-profile-step.ts) and to the step's form.
 */
export const PROFILE_FIELDS = ["first_name", "last_name"] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/**
 * The `complete_profile` step's form: the missing fields, each validated exactly as the signup form
 * validates it when the realm requires it (the same schema, not a copy).
 */
export function completeProfileFormSchema(fields: readonly ProfileField[]) {
  const required = signupFormSchema({ passwordMin: 1, passwordMax: 1, names: "required" }).pick({
    first_name: true,
    last_name: true,
  });
  const mask: Partial<Record<ProfileField, true>> = {};
  for (const field of fields) mask[field] = true;
  return required.pick(mask);
}

export type CompleteProfileForm = Partial<Record<ProfileField, string>>;

/** The "choose a new password" step (expired or admin-required password). */
export function choosePasswordFormSchema(policy: Pick<SignupPolicy, "passwordMin" | "passwordMax">) {
  return z.object({
    password: newPasswordSchema({ min: policy.passwordMin, max: policy.passwordMax }),
  });
}

export type ChoosePasswordForm = z.input<ReturnType<typeof choosePasswordFormSchema>>;

/** "Forgot your password?": the address to send a reset link to. */
export const forgotPasswordFormSchema = z.object({ email: emailSchema });

export type ForgotPasswordForm = z.input<typeof forgotPasswordFormSchema>;

/**
 * A code typed into the login's second-factor or enrolment step: only bounded here, judged by
 * lib/mfa (six digits, spaces allowed; or a recovery code), so every wrong code gets one answer.
 */
const codeField = z.string().trim().min(1, "field.required").max(64, "field.too_long");

/** `/login/verify` and `/login/enrol-2fa`: the 6-digit code of the authenticator app. */
export const totpCodeFormSchema = z.object({ code: codeField });

export type TotpCodeForm = z.input<typeof totpCodeFormSchema>;

/** `/login/verify?method=recovery`: one of the user's recovery codes. */
export const recoveryCodeFormSchema = z.object({ recovery_code: codeField });

export type RecoveryCodeForm = z.input<typeof recoveryCodeFormSchema>;

/** `/login/link`: the password of the existing account a new social identity is to be linked to. */
export const linkIdentityFormSchema = z.object({ password: currentPasswordSchema });

export type LinkIdentityForm = z.input<typeof linkIdentityFormSchema>;
