"use client";

import { useT } from "@/components/i18n/messages-provider";
import { FormNotice } from "@/components/ui/form-notice";
import { TextField } from "@/components/ui/text-field";
import { forgotPasswordFormSchema, type ForgotPasswordForm as Values } from "@/lib/flows/forms";
import { ActionForm } from "./action-form";
import { AltchaField } from "./altcha-field";
import { type FormAction, useActionForm } from "./use-action-form";

/**
 * "Forgot your password?": one email field (and the anti-robot check when the realm asks for it).
 * Once sent, the form gives way to the same "check your email" answer for every address.
 */
export function ForgotPasswordForm({
  action,
  hidden,
  minutes,
  altcha,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  /** How long a link works, for the answer. */
  minutes: number;
  altcha?: { challengeUrl: string } | null;
}) {
  const { t, err } = useT();
  const handle = useActionForm<Values>(forgotPasswordFormSchema, action, { email: "" });
  const { form, state, fieldErrorList } = handle;
  const emailError = fieldErrorList("email")[0];
  const challengeError = fieldErrorList("altcha")[0];
  const sent = state.notice === "page.forgot.sent";
  return (
    <>
      <FormNotice>
        {sent ? <p>{t("page.forgot.sent", { email: state.values?.email ?? "", minutes })}</p> : null}
      </FormNotice>
      {sent ? null : (
        <ActionForm
          slot="forgot-password-form"
          handle={handle}
          hidden={hidden}
          submitLabel={t("action.send_reset_link")}
        >
          <TextField
            id="email"
            label={t("field.email")}
            type="email"
            autoComplete="email"
            autoCapitalize="none"
            spellCheck={false}
            inputMode="email"
            required
            defaultValue={state.values?.email}
            error={emailError && err(emailError.code, { ...emailError.params, field: "email" })}
            {...form.register("email")}
            name="email"
          />
          {altcha ? (
            <AltchaField
              challengeUrl={altcha.challengeUrl}
              error={challengeError && err(challengeError.code, challengeError.params)}
              attempt={state}
              noscript="challenge.noscript_forgot"
            />
          ) : null}
        </ActionForm>
      )}
    </>
  );
}
