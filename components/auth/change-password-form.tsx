"use client";

import { useEffect, useMemo } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { FormNotice } from "@/components/ui/form-notice";
import { TextField } from "@/components/ui/text-field";
import { changePasswordFormSchema, type ChangePasswordForm as Values } from "@/lib/account/forms";
import type { PasswordPolicy } from "@/lib/passwords/policy";
import { ActionForm } from "./action-form";
import { NewPasswordField } from "./new-password-field";
import { type FormAction, useActionForm } from "./use-action-form";
import { usePasswordCheck } from "./use-password-check";

export function ChangePasswordForm({
  action,
  hidden,
  policy,
  email,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  policy: PasswordPolicy;
  email: string;
}) {
  const { t, err } = useT();
  const schema = useMemo(
    () => changePasswordFormSchema({ min: policy.minLength, max: policy.maxLength }),
    [policy.minLength, policy.maxLength],
  );
  const identity = useMemo(() => ({ email }), [email]);
  const check = usePasswordCheck<Values>(policy, () => identity);
  const handle = useActionForm<Values>(schema, action, { current_password: "", password: "" }, { check });
  const { form, state, fieldErrorList } = handle;
  // After a change the fields empty again, so the new password does not linger on screen.
  useEffect(() => {
    if (state.notice) form.reset({ current_password: "", password: "" });
  }, [state, form]);
  const limits = { min: policy.minLength, max: policy.maxLength };
  const errorsFor = (name: keyof Values) =>
    fieldErrorList(name).map((e) => err(e.code, { ...limits, ...e.params, field: name }));
  return (
    <section aria-labelledby="password-heading" data-slot="password-section">
      <h2 id="password-heading" data-slot="section-heading">
        {t("page.profile.password.heading")}
      </h2>
      <FormNotice>{state.notice ? t(state.notice) : null}</FormNotice>
      <ActionForm
        slot="password-form"
        handle={handle}
        hidden={hidden}
        submitLabel={t("action.change_password")}
      >
        {/* For password managers: whose password this is. Not submitted (no name). */}
        <input type="email" autoComplete="username" value={email} readOnly hidden />
        <TextField
          id="current_password"
          label={t("field.current_password")}
          type="password"
          autoComplete="current-password"
          required
          error={errorsFor("current_password")}
          {...form.register("current_password")}
          name="current_password"
        />
        <NewPasswordField
          id="new_password"
          label={t("field.new_password")}
          policy={policy}
          identity={identity}
          password={form.watch("password") ?? ""}
          error={errorsFor("password")}
          {...form.register("password")}
          name="password"
        />
      </ActionForm>
    </section>
  );
}
