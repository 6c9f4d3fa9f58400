"use client";

import { useT } from "@/components/i18n/messages-provider";
import { FormAlert } from "@/components/ui/form-alert";
import { HiddenFields } from "@/components/ui/hidden-fields";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import { type LoginForm as LoginValues, loginFormSchema } from "@/lib/flows/forms";
import { type FormAction, useActionForm } from "./use-action-form";

export function LoginForm({ action, hidden }: { action: FormAction; hidden: Record<string, string> }) {
  const { t, err } = useT();
  const { form, state, formAction, pending, formRef, onSubmit, fieldErrorCode } = useActionForm<LoginValues>(
    loginFormSchema,
    action,
    { email: "", password: "" },
  );
  const email = fieldErrorCode("email");
  const password = fieldErrorCode("password");
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate data-slot="login-form">
      <FormAlert>{state.formError ? err(state.formError.code, state.formError.params) : null}</FormAlert>
      <HiddenFields values={hidden} />
      <TextField
        id="email"
        label={t("field.email")}
        type="email"
        autoComplete="username"
        inputMode="email"
        required
        defaultValue={state.values?.email}
        error={email && err(email.code, { ...email.params, field: "email" })}
        {...form.register("email")}
        name="email"
      />
      <TextField
        id="password"
        label={t("field.password")}
        type="password"
        autoComplete="current-password"
        required
        error={password && err(password.code, { ...password.params, field: "password" })}
        {...form.register("password")}
        name="password"
      />
      <SubmitButton pending={pending} pendingLabel={t("action.submitting")}>
        {t("action.login")}
      </SubmitButton>
    </form>
  );
}
