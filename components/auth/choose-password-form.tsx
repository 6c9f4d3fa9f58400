"use client";

import { useMemo } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { TextField } from "@/components/ui/text-field";
import {
  type ChoosePasswordForm as ChoosePasswordValues,
  choosePasswordFormSchema,
  type SignupPolicy,
} from "@/lib/flows/forms";
import { ActionForm } from "./action-form";
import { type FormAction, useActionForm } from "./use-action-form";

/** The login's "choose a new password" step. The email rides along for password managers. */
export function ChoosePasswordForm({
  action,
  hidden,
  email,
  policy,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  email: string;
  policy: Pick<SignupPolicy, "passwordMin" | "passwordMax">;
}) {
  const { t, err } = useT();
  const schema = useMemo(() => choosePasswordFormSchema(policy), [policy]);
  const handle = useActionForm<ChoosePasswordValues>(schema, action, { password: "" });
  const { form, fieldErrorCode } = handle;
  const error = fieldErrorCode("password");
  return (
    <ActionForm
      slot="choose-password-form"
      handle={handle}
      hidden={hidden}
      submitLabel={t("action.save_password")}
    >
      <input type="hidden" name="username" autoComplete="username" value={email} readOnly />
      <TextField
        id="password"
        label={t("field.new_password")}
        hint={t("field.password.hint", { min: policy.passwordMin })}
        type="password"
        autoComplete="new-password"
        required
        error={
          error &&
          err(error.code, {
            min: policy.passwordMin,
            max: policy.passwordMax,
            ...error.params,
            field: "password",
          })
        }
        {...form.register("password")}
        name="password"
      />
    </ActionForm>
  );
}
