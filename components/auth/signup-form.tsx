"use client";

import { useMemo } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { HoneypotField } from "@/components/ui/honeypot-field";
import { TextField } from "@/components/ui/text-field";
import {
  HONEYPOT_FIELD,
  type SignupPolicy,
  type SignupForm as SignupValues,
  signupFormSchema,
} from "@/lib/flows/forms";
import type { PasswordPolicy } from "@/lib/passwords/policy";
import { ActionForm } from "./action-form";
import { AltchaField } from "./altcha-field";
import { NewPasswordField } from "./new-password-field";
import { type FormAction, useActionForm } from "./use-action-form";
import { usePasswordCheck } from "./use-password-check";

export function SignupForm({
  action,
  hidden,
  policy,
  invitedEmail = null,
  passwordPolicy,
  altcha,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  policy: SignupPolicy;
  /** The address an invitation is for: shown, and not editable (the server enforces it too). */
  invitedEmail?: string | null;
  passwordPolicy: PasswordPolicy;
  /** Present when the realm asks for the anti-robot check (ALTCHA). */
  altcha?: { challengeUrl: string } | null;
}) {
  const { t, err } = useT();
  const schema = useMemo(() => signupFormSchema(policy), [policy]);
  const check = usePasswordCheck<SignupValues>(passwordPolicy, identityOf);
  const handle = useActionForm<SignupValues>(
    schema,
    action,
    {
      email: invitedEmail ?? "",
      // Only where the field exists: the email-mode schema refuses any username, "" included.
      ...(policy.usernameMode === "separate" ? { username: "" } : {}),
      password: "",
      first_name: "",
      last_name: "",
    },
    { check },
  );
  const { form, state, fieldErrorList } = handle;
  const limits = { min: policy.passwordMin, max: policy.passwordMax };
  const errorsFor = (name: keyof SignupValues) =>
    fieldErrorList(name).map((e) => err(e.code, { ...limits, ...e.params, field: name }));
  const challengeError = fieldErrorList("altcha")[0];
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
      {policy.usernameMode === "separate" ? (
        <TextField
          id="username"
          label={t("field.username")}
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          defaultValue={state.values?.username}
          error={errorsFor("username")}
          {...form.register("username")}
          name="username"
        />
      ) : null}
      <TextField
        id="email"
        label={t("field.email")}
        hint={invitedEmail ? t("field.email.invited") : undefined}
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        readOnly={invitedEmail !== null}
        defaultValue={invitedEmail ?? state.values?.email}
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
      <HoneypotField name={HONEYPOT_FIELD} label={t("field.honeypot")} />
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

function identityOf(values: Partial<SignupValues>) {
  return {
    email: values.email,
    username: values.username,
    firstName: values.first_name,
    lastName: values.last_name,
  };
}
