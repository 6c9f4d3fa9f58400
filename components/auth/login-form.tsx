"use client";

import { useT } from "@/components/i18n/messages-provider";
import { TextField } from "@/components/ui/text-field";
import { type LoginForm as LoginValues, loginFormSchema } from "@/lib/flows/forms";
import { ActionForm } from "./action-form";
import { type FormAction, useActionForm } from "./use-action-form";

export function LoginForm({ action, hidden }: { action: FormAction; hidden: Record<string, string> }) {
  const { t, err } = useT();
  const handle = useActionForm<LoginValues>(loginFormSchema, action, { email: "", password: "" });
  const { form, state, fieldErrorCode } = handle;
  const email = fieldErrorCode("email");
  const password = fieldErrorCode("password");
  return (
    <ActionForm slot="login-form" handle={handle} hidden={hidden} submitLabel={t("action.login")}>
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
    </ActionForm>
  );
}
