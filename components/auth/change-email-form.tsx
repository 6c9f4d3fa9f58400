"use client";

import { useEffect, useMemo } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { FormNotice } from "@/components/ui/form-notice";
import { TextField } from "@/components/ui/text-field";
import { changeEmailFormSchema, type ChangeEmailForm as Values } from "@/lib/account/forms";
import { ActionForm } from "./action-form";
import { type FormAction, useActionForm } from "./use-action-form";

/** The profile's "Change email address": the new address and the current password. */
export function ChangeEmailForm({
  action,
  hidden,
  email,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  /** The current address (for password managers: whose password this is). */
  email: string;
}) {
  const { t, err } = useT();
  const schema = useMemo(() => changeEmailFormSchema(), []);
  const handle = useActionForm<Values>(schema, action, { email: "", current_password: "" });
  const { form, state, fieldErrorList } = handle;
  // Once the link is on its way the fields empty again.
  useEffect(() => {
    if (state.notice) form.reset({ email: "", current_password: "" });
  }, [state, form]);
  const errorsFor = (name: keyof Values) =>
    fieldErrorList(name).map((e) => err(e.code, { ...e.params, field: name }));
  return (
    <section aria-labelledby="change-email-heading" data-slot="change-email-section">
      <h2 id="change-email-heading" data-slot="section-heading">
        {t("page.profile.email.change_heading")}
      </h2>
      <FormNotice>{state.notice ? t(state.notice) : null}</FormNotice>
      <ActionForm
        slot="change-email-form"
        handle={handle}
        hidden={hidden}
        submitLabel={t("action.change_email")}
      >
        {/* For password managers: whose password this is. Not submitted (no name). */}
        <input type="email" autoComplete="username" value={email} readOnly hidden />
        <TextField
          id="new_email"
          label={t("field.new_email")}
          type="email"
          autoComplete="email"
          required
          error={errorsFor("email")}
          {...form.register("email")}
          name="email"
        />
        <TextField
          id="email_current_password"
          label={t("field.current_password")}
          type="password"
          autoComplete="current-password"
          required
          error={errorsFor("current_password")}
          {...form.register("current_password")}
          name="current_password"
        />
      </ActionForm>
    </section>
  );
}
