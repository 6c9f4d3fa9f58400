"use client";

import { useEffect, useMemo } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { FormNotice } from "@/components/ui/form-notice";
import { TextField } from "@/components/ui/text-field";
import { changePasswordFormSchema, type ChangePasswordForm as Values } from "@/lib/account/forms";
import { ActionForm } from "./action-form";
import { type FormAction, useActionForm } from "./use-action-form";

export function ChangePasswordForm({
  action,
  hidden,
  policy,
  email,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  policy: { passwordMin: number; passwordMax: number };
  email: string;
}) {
  const { t, err } = useT();
  const schema = useMemo(
    () => changePasswordFormSchema({ min: policy.passwordMin, max: policy.passwordMax }),
    [policy.passwordMin, policy.passwordMax],
  );
  const handle = useActionForm<Values>(schema, action, { current_password: "", password: "" });
  const { form, state, fieldErrorCode } = handle;
  // After a change the fields empty again, so the new password does not linger on screen.
  useEffect(() => {
    if (state.notice) form.reset({ current_password: "", password: "" });
  }, [state, form]);
  const limits = { min: policy.passwordMin, max: policy.passwordMax };
  const errorFor = (name: keyof Values) => {
    const e = fieldErrorCode(name);
    return e && err(e.code, { ...limits, ...e.params, field: name });
  };
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
          error={errorFor("current_password")}
          {...form.register("current_password")}
          name="current_password"
        />
        <TextField
          id="new_password"
          label={t("field.new_password")}
          hint={t("field.password.hint", { min: policy.passwordMin })}
          type="password"
          autoComplete="new-password"
          required
          error={errorFor("password")}
          {...form.register("password")}
          name="password"
        />
      </ActionForm>
    </section>
  );
}
