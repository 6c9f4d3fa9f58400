"use client";

import { useMemo } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { TextField } from "@/components/ui/text-field";
import { type SignupPolicy, type SignupForm as SignupValues, signupFormSchema } from "@/lib/flows/forms";
import { ActionForm } from "./action-form";
import { AltchaField } from "./altcha-field";
import { type FormAction, useActionForm } from "./use-action-form";

export function SignupForm({
  action,
  hidden,
  policy,
  altcha,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  policy: SignupPolicy;
  /** Present when the realm asks for the anti-robot check (ALTCHA). */
  altcha?: { challengeUrl: string } | null;
}) {
  const { t, err } = useT();
  const schema = useMemo(() => signupFormSchema(policy), [policy]);
  const handle = useActionForm<SignupValues>(schema, action, {
    email: "",
    password: "",
    first_name: "",
    last_name: "",
  });
  const { form, state, fieldErrorCode } = handle;
  const limits = { min: policy.passwordMin, max: policy.passwordMax };
  const errorFor = (name: keyof SignupValues) => {
    const e = fieldErrorCode(name);
    return e && err(e.code, { ...limits, ...e.params, field: name });
  };
  const challengeError = fieldErrorCode("altcha");
  const nameField = (name: "first_name" | "last_name", label: string, autoComplete: string) => (
    <TextField
      id={name}
      label={policy.names === "optional" ? t("field.optional", { label }) : label}
      type="text"
      autoComplete={autoComplete}
      required={policy.names === "required"}
      defaultValue={state.values?.[name]}
      error={errorFor(name)}
      {...form.register(name)}
      name={name}
    />
  );
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
        error={errorFor("email")}
        {...form.register("email")}
        name="email"
      />
      <TextField
        id="password"
        label={t("field.password")}
        hint={t("field.password.hint", { min: policy.passwordMin })}
        type="password"
        autoComplete="new-password"
        required
        error={errorFor("password")}
        {...form.register("password")}
        name="password"
      />
      {altcha ? (
        <AltchaField
          challengeUrl={altcha.challengeUrl}
          error={challengeError && err(challengeError.code, challengeError.params)}
          attempt={state}
        />
      ) : null}
    </ActionForm>
  );
}
