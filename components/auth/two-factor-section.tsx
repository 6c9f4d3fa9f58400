"use client";

import { useActionState } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { FormAlert } from "@/components/ui/form-alert";
import { FormNotice } from "@/components/ui/form-notice";
import { HiddenFields } from "@/components/ui/hidden-fields";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import type { TwoFactorSectionView } from "@/lib/pages/profile";
import type { TwoFactorState } from "@/lib/pages/profile-actions";
import { ReauthPrompt } from "./reauth-prompt";
import { RecoveryCodes } from "./recovery-codes";
import { TotpSetup } from "./totp-setup";

const initialState: TwoFactorState = { fieldErrors: {} };

/** Inputs for codes: the phone's keyboard offers digits, and the OS may fill a code in. */
const codeInput = {
  type: "text",
  autoComplete: "one-time-code",
  inputMode: "numeric",
  spellCheck: false,
  maxLength: 64,
} as const;

/**
 * The profile's "Two-step verification": its status; while this session's password is not recent,
 * a "Confirm your password" form in front of every change; then "Set up" (QR code, key, a code to
 * confirm), the recovery codes shown once, "Generate new recovery codes" and "Turn off". Plain
 * forms posting to one action (an `intent` each), so its answer, and the codes in it, stay on
 * screen while the page refreshes around it. Works without JavaScript.
 */
export function TwoFactorSection({
  action,
  hidden,
  view,
  realmName,
  email,
}: {
  action: (state: TwoFactorState, formData: FormData) => Promise<TwoFactorState>;
  hidden: Record<string, string>;
  view: TwoFactorSectionView;
  realmName: string;
  email: string;
}) {
  const { t, err } = useT();
  const [state, formAction, pending] = useActionState(action, initialState);
  const errorsFor = (name: string) =>
    (state.fieldErrors[name] ?? []).map((e) => err(e.code, { ...e.params, field: name }));
  const button = (label: string) => (
    <SubmitButton pending={pending} pendingLabel={t("action.submitting")}>
      {label}
    </SubmitButton>
  );
  const codes = state.recoveryCodes ?? [];

  return (
    <section aria-labelledby="mfa-heading" data-slot="mfa-section">
      <h2 id="mfa-heading" data-slot="section-heading">
        {t("page.profile.mfa.heading")}
      </h2>
      <FormAlert>{state.formError ? err(state.formError.code, state.formError.params) : null}</FormAlert>
      <FormNotice>{state.notice ? t(state.notice) : null}</FormNotice>
      <div data-slot="mfa-status" data-enabled={view.enabled ? "true" : "false"}>
        {view.enabled ? (
          <>
            <p data-slot="mfa-since" data-since={view.since ?? undefined}>
              {t("page.profile.mfa.on", { time: view.sinceText ?? "" })}
            </p>
            <p data-slot="mfa-codes-left">
              {view.recoveryCodesLeft <= 3
                ? t("page.profile.mfa.codes_low", { count: view.recoveryCodesLeft })
                : t("page.profile.mfa.codes_left", { count: view.recoveryCodesLeft })}
            </p>
          </>
        ) : (
          <p>{t("page.profile.mfa.off")}</p>
        )}
      </div>

      {codes.length ? <RecoveryCodes codes={codes} realm={realmName} email={email} /> : null}

      {!view.recent ? (
        <ReauthPrompt
          reauth={view.reauth}
          action={formAction}
          hidden={hidden}
          email={email}
          slot="mfa"
          hint={t("page.profile.mfa.reauth")}
          error={errorsFor("current_password")}
          submit={button(t("action.confirm_password"))}
        />
      ) : (
        <>
          {view.recentUntilText ? (
            <p data-slot="mfa-recent">{t("page.profile.mfa.recent_until", { time: view.recentUntilText })}</p>
          ) : null}
          {!view.enabled && !view.pending ? (
            <form action={formAction} data-slot="mfa-begin-form">
              <HiddenFields values={{ ...hidden, intent: "begin" }} />
              {button(t("action.mfa_setup"))}
            </form>
          ) : null}
          {!view.enabled && view.pending ? (
            <section aria-labelledby="mfa-setup-heading" data-slot="mfa-setup">
              <h3 id="mfa-setup-heading">{t("page.profile.mfa.setup_heading")}</h3>
              <TotpSetup {...view.pending} />
              <form action={formAction} data-slot="mfa-confirm-form">
                <p>{t("page.profile.mfa.setup_confirm")}</p>
                <HiddenFields values={{ ...hidden, intent: "confirm" }} />
                <TextField
                  id="mfa_setup_code"
                  name="code"
                  label={t("field.totp_code")}
                  required
                  error={errorsFor("code")}
                  {...codeInput}
                />
                {button(t("action.mfa_confirm"))}
              </form>
              <form action={formAction} data-slot="mfa-cancel-form">
                <HiddenFields values={{ ...hidden, intent: "cancel" }} />
                {button(t("action.mfa_cancel"))}
              </form>
            </section>
          ) : null}
          {view.enabled ? (
            <>
              <section aria-labelledby="mfa-regenerate-heading" data-slot="mfa-regenerate">
                <h3 id="mfa-regenerate-heading">{t("page.profile.mfa.regenerate_heading")}</h3>
                <form action={formAction} data-slot="mfa-regenerate-form">
                  <p>{t("page.profile.mfa.regenerate_hint")}</p>
                  <HiddenFields values={{ ...hidden, intent: "regenerate" }} />
                  {button(t("action.mfa_regenerate"))}
                </form>
              </section>
              <section aria-labelledby="mfa-disable-heading" data-slot="mfa-disable">
                <h3 id="mfa-disable-heading">{t("page.profile.mfa.disable_heading")}</h3>
                <form action={formAction} data-slot="mfa-disable-form">
                  {view.requiredByRealm ? (
                    <p>{t("page.profile.mfa.disable_required", { realm: realmName })}</p>
                  ) : null}
                  <HiddenFields values={{ ...hidden, intent: "disable" }} />
                  <TextField
                    id="mfa_disable_code"
                    name="code"
                    label={t("field.mfa_code")}
                    hint={t("page.profile.mfa.disable_hint")}
                    error={errorsFor("code")}
                    {...codeInput}
                  />
                  <details data-slot="mfa-use-recovery" open={errorsFor("recovery_code").length > 0}>
                    <summary>{t("page.profile.mfa.use_recovery")}</summary>
                    <TextField
                      id="mfa_disable_recovery_code"
                      name="recovery_code"
                      label={t("field.recovery_code")}
                      type="text"
                      autoComplete="off"
                      autoCapitalize="none"
                      spellCheck={false}
                      maxLength={64}
                      error={errorsFor("recovery_code")}
                    />
                  </details>
                  {button(t("action.mfa_disable"))}
                </form>
              </section>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
