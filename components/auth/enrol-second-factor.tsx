"use client";

import { useActionState } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { FormAlert } from "@/components/ui/form-alert";
import { FormNotice } from "@/components/ui/form-notice";
import { HiddenFields } from "@/components/ui/hidden-fields";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import type { EnrolmentFormState } from "@/lib/pages/second-factor-step";
import { ButtonForm } from "./button-form";
import { RecoveryCodes } from "./recovery-codes";
import { TotpSetup } from "./totp-setup";
import type { FormAction } from "./use-action-form";

const initialState: EnrolmentFormState = { fieldErrors: {} };

/**
 * Enrolment during login, in three views that one component holds (so that, without JavaScript,
 * the confirm POST's answer lands in the same place): the QR code and key with a code field; after
 * a right code, the recovery codes and "I have saved these codes"; and, when the page is opened
 * again after that, only the way on (the codes are never shown twice).
 */
export function EnrolSecondFactor({
  setup,
  realmName,
  email,
  hidden,
  confirmAction,
  continueAction,
}: {
  /** The key to add to the app; null once this login's enrolment was confirmed. */
  setup: { qr: string; groupedKey: string; uri: string } | null;
  realmName: string;
  email: string;
  hidden: Record<string, string>;
  confirmAction: (state: EnrolmentFormState, formData: FormData) => Promise<EnrolmentFormState>;
  continueAction: FormAction;
}) {
  const { t, err } = useT();
  const [state, formAction, pending] = useActionState(confirmAction, initialState);
  const codes = state.recoveryCodes;
  const proceed = (
    <ButtonForm
      slot="mfa-continue-form"
      action={continueAction}
      hidden={hidden}
      label={t(codes ? "action.mfa_codes_saved" : "action.verify_continue")}
    />
  );
  if (codes?.length) {
    return (
      <div data-slot="mfa-enrolled">
        <FormNotice>{t("page.mfa_enrol.enabled")}</FormNotice>
        <RecoveryCodes codes={codes} realm={realmName} email={email} />
        {proceed}
      </div>
    );
  }
  if (!setup) {
    return (
      <div data-slot="mfa-enrolled">
        <p>{t("page.mfa_enrol.confirmed")}</p>
        {proceed}
      </div>
    );
  }
  const code = state.fieldErrors.code?.[0];
  return (
    <div data-slot="mfa-enrol">
      <TotpSetup
        qr={setup.qr}
        groupedKey={setup.groupedKey}
        uri={setup.uri}
        issuer={realmName}
        account={email}
      />
      <form action={formAction} data-slot="mfa-confirm-form">
        <FormAlert>{state.formError ? err(state.formError.code, state.formError.params) : null}</FormAlert>
        <HiddenFields values={hidden} />
        <TextField
          id="code"
          name="code"
          label={t("field.totp_code")}
          hint={t("page.mfa_enrol.confirm_hint")}
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
          required
          error={code && err(code.code, { ...code.params, field: "code" })}
        />
        <SubmitButton pending={pending} pendingLabel={t("action.submitting")}>
          {t("action.mfa_enrol_confirm")}
        </SubmitButton>
      </form>
    </div>
  );
}
