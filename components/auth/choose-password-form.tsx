"use client";

import { useMemo } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { choosePasswordFormSchema, type ChoosePasswordForm as Values } from "@/lib/flows/forms";
import type { PasswordPolicy } from "@/lib/passwords/policy";
import { ActionForm } from "./action-form";
import { NewPasswordField } from "./new-password-field";
import { type FormAction, useActionForm } from "./use-action-form";
import { usePasswordCheck } from "./use-password-check";

/**
 * A new password for a known account: the login's "choose a new password" step, and the reset
 * page (`slot="reset-password-form"`). The email rides along for password managers.
 */
export function ChoosePasswordForm({
  action,
  hidden,
  email,
  policy,
  slot = "choose-password-form",
}: {
  action: FormAction;
  hidden: Record<string, string>;
  email: string;
  policy: PasswordPolicy;
  slot?: string;
}) {
  const { t, err } = useT();
  const schema = useMemo(
    () => choosePasswordFormSchema({ passwordMin: policy.minLength, passwordMax: policy.maxLength }),
    [policy.minLength, policy.maxLength],
  );
  const identity = useMemo(() => ({ email }), [email]);
  const check = usePasswordCheck<Values>(policy, () => identity);
  const handle = useActionForm<Values>(schema, action, { password: "" }, { check });
  const { form, fieldErrorList } = handle;
  const limits = { min: policy.minLength, max: policy.maxLength };
  return (
    <ActionForm slot={slot} handle={handle} hidden={hidden} submitLabel={t("action.save_password")}>
      <input type="hidden" name="username" autoComplete="username" value={email} readOnly />
      <NewPasswordField
        id="password"
        label={t("field.new_password")}
        policy={policy}
        identity={identity}
        password={form.watch("password") ?? ""}
        error={fieldErrorList("password").map((e) =>
          err(e.code, { ...limits, ...e.params, field: "password" }),
        )}
        {...form.register("password")}
        name="password"
      />
    </ActionForm>
  );
}
