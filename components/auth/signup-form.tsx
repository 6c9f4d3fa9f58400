"use client";

import { useCallback, useMemo } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { TextField } from "@/components/ui/text-field";
import { type SignupPolicy, type SignupForm as SignupValues, signupFormSchema } from "@/lib/flows/forms";
import type { PasswordPolicy } from "@/lib/passwords/policy";
import { checkPasswordInBrowser } from "@/lib/passwords/strength-loader";
import { ActionForm } from "./action-form";
import { NewPasswordField } from "./new-password-field";
import { type FormAction, useActionForm } from "./use-action-form";

export function SignupForm({
  action,
  hidden,
  policy,
  passwordPolicy,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  policy: SignupPolicy;
  passwordPolicy: PasswordPolicy;
}) {
  const { t, err } = useT();
  const schema = useMemo(() => signupFormSchema(policy), [policy]);
  // The whole password policy inline, so every failing rule shows at once without a round trip.
  const check = useCallback(
    async (values: SignupValues) =>
      values.password
        ? checkPasswordInBrowser({
            policy: passwordPolicy,
            password: values.password,
            identity: identityOf(values),
          })
        : [],
    [passwordPolicy],
  );
  const handle = useActionForm<SignupValues>(
    schema,
    action,
    { email: "", password: "", first_name: "", last_name: "" },
    { check },
  );
  const { form, state, fieldErrorList } = handle;
  const limits = { min: policy.passwordMin, max: policy.passwordMax };
  const errorsFor = (name: keyof SignupValues) =>
    fieldErrorList(name).map((e) => err(e.code, { ...limits, ...e.params, field: name }));
  const nameField = (name: "first_name" | "last_name", label: string, autoComplete: string) => (
    <TextField
      id={name}
      label={policy.names === "optional" ? t("field.optional", { label }) : label}
      type="text"
      autoComplete={autoComplete}
      required={policy.names === "required"}
      defaultValue={state.values?.[name]}
      error={errorsFor(name)}
      {...form.register(name)}
      name={name}
    />
  );
  const typed = form.watch();
  return (
    <ActionForm slot="signup-form" handle={handle} hidden={hidden} submitLabel={t("action.signup")}>
      {policy.names !== "off" ? (
        <div data-slot="name-fields">
          {nameField("first_name", t("field.first_name"), "given-name")}
          {nameField("last_name", t("field.last_name"), "family-name")}
        </div>
      ) : null}
      <TextField
        id="email"
        label={t("field.email")}
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        defaultValue={state.values?.email}
        error={errorsFor("email")}
        {...form.register("email")}
        name="email"
      />
      <NewPasswordField
        id="password"
        label={t("field.password")}
        policy={passwordPolicy}
        identity={identityOf(typed)}
        password={typed.password ?? ""}
        error={errorsFor("password")}
        {...form.register("password")}
        name="password"
      />
    </ActionForm>
  );
}

function identityOf(values: Partial<SignupValues>) {
  return { email: values.email, firstName: values.first_name, lastName: values.last_name };
}
