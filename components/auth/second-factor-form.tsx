"use client";

import { useT } from "@/components/i18n/messages-provider";
import { TextField } from "@/components/ui/text-field";
import {
  type RecoveryCodeForm as RecoveryValues,
  recoveryCodeFormSchema,
  type TotpCodeForm as TotpValues,
  totpCodeFormSchema,
} from "@/lib/flows/forms";
import { ActionForm } from "./action-form";
import { type FormAction, useActionForm } from "./use-action-form";

/**
 * The login's second-factor step: the 6-digit code of the authenticator app (the phone's keyboard
 * shows digits, and the browser may offer a code it received), or one of the recovery codes.
 */
export function TotpCodeForm({ action, hidden }: { action: FormAction; hidden: Record<string, string> }) {
  const { t, err } = useT();
  const handle = useActionForm<TotpValues>(totpCodeFormSchema, action, { code: "" });
  const { form, fieldErrorCode } = handle;
  const code = fieldErrorCode("code");
  return (
    <ActionForm slot="totp-code-form" handle={handle} hidden={hidden} submitLabel={t("action.mfa_verify")}>
      <TextField
        id="code"
        label={t("field.mfa_code")}
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={64}
        required
        error={code && err(code.code, { ...code.params, field: "code" })}
        {...form.register("code")}
        name="code"
      />
    </ActionForm>
  );
}

export function RecoveryCodeForm({ action, hidden }: { action: FormAction; hidden: Record<string, string> }) {
  const { t, err } = useT();
  const handle = useActionForm<RecoveryValues>(recoveryCodeFormSchema, action, { recovery_code: "" });
  const { form, fieldErrorCode } = handle;
  const code = fieldErrorCode("recovery_code");
  return (
    <ActionForm
      slot="recovery-code-form"
      handle={handle}
      hidden={hidden}
      submitLabel={t("action.mfa_verify")}
    >
      <TextField
        id="recovery_code"
        label={t("field.recovery_code")}
        hint={t("field.recovery_code.hint")}
        type="text"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={64}
        required
        error={code && err(code.code, { ...code.params, field: "recovery_code" })}
        {...form.register("recovery_code")}
        name="recovery_code"
      />
    </ActionForm>
  );
}
