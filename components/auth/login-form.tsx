"use client";

import { useT } from "@/components/i18n/messages-provider";
import { TextField } from "@/components/ui/text-field";
import { type LoginForm as LoginValues, loginFormSchemaFor, type UsernameMode } from "@/lib/flows/forms";
import { ActionForm } from "./action-form";
import { type FormAction, useActionForm } from "./use-action-form";

export function LoginForm({
  action,
  hidden,
  usernameMode = "email",
}: {
  action: FormAction;
  hidden: Record<string, string>;
  /** `separate`: the first field takes an email address or a username. */
  usernameMode?: UsernameMode;
}) {
  const { t, err } = useT();
  const handle = useActionForm<LoginValues>(loginFormSchemaFor(usernameMode), action, {
    email: "",
    password: "",
  });
  const either = usernameMode === "separate";
  const { form, state, fieldErrorCode } = handle;
  const email = fieldErrorCode("email");
  const password = fieldErrorCode("password");
  return (
    <ActionForm slot="login-form" handle={handle} hidden={hidden} submitLabel={t("action.login")}>
      <TextField
        id="email"
        label={t(either ? "field.identifier" : "field.email")}
        type={either ? "text" : "email"}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        inputMode={either ? "text" : "email"}
        required
        defaultValue={state.values?.email}
        error={email && err(email.code, { ...email.params, field: either ? "identifier" : "email" })}
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
