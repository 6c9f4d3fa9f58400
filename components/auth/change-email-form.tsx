"use client";

import { useEffect, useMemo } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { FormNotice } from "@/components/ui/form-notice";
import { TextField } from "@/components/ui/text-field";
import { type ChangeEmailForm as ChangeEmailValues, changeEmailFormSchema } from "@/lib/account/forms";
import type { ReauthView } from "@/lib/pages/profile";
import { ActionForm } from "./action-form";
import { ReauthByLogin } from "./reauth-by-login";
import { type FormAction, useActionForm } from "./use-action-form";

/** The current password is absent for a user who re-authenticates by signing in again. */
type Values = Omit<ChangeEmailValues, "current_password"> & { current_password?: string };

/**
 * The profile's "Change email address": the new address and the current password. A user without
 * a usable password proves it is them by a recent sign-in instead (`reauth` with `login`): no
 * password field, and "Sign in again to continue" once that sign-in is older than 15 minutes.
 */
export function ChangeEmailForm({
  action,
  hidden,
  email,
  reauth,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  /** The current address (for password managers: whose password this is). */
  email: string;
  /** Absent: the current password, as before. */
  reauth?: ReauthView & { recent: boolean };
}) {
  const { t, err } = useT();
  const byLogin = reauth?.method === "login";
  const schema = useMemo(
    () => (byLogin ? changeEmailFormSchema().omit({ current_password: true }) : changeEmailFormSchema()),
    [byLogin],
  );
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
      {byLogin && !reauth.recent ? <ReauthByLogin loginUrl={reauth.loginUrl} /> : null}
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
        {byLogin ? null : (
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
        )}
      </ActionForm>
    </section>
  );
}
