"use client";

import { useActionState } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { FormAlert } from "@/components/ui/form-alert";
import { FormNotice } from "@/components/ui/form-notice";
import { HiddenFields } from "@/components/ui/hidden-fields";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/lib/forms/state";
import type { FormAction } from "./use-action-form";

const initialState: FormState = { fieldErrors: {} };

/**
 * The profile's "Email address": whether it is confirmed (with a button for a new confirmation
 * link), and a change waiting for its link (with a button to cancel it). One action for both
 * buttons, so that its answer stays on screen when the page refreshes around it. Plain forms.
 */
export function EmailSection({
  action,
  hidden,
  email,
  verified,
  verification,
  pendingEmail,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  email: string;
  verified: boolean;
  /** Whether the realm asks for verified addresses (else no status and no button). */
  verification: boolean;
  pendingEmail: string | null;
}) {
  const { t, err } = useT();
  const [state, formAction, pending] = useActionState(action, initialState);
  return (
    <section aria-labelledby="email-heading" data-slot="email-section">
      <h2 id="email-heading" data-slot="section-heading">
        {t("page.profile.email.heading")}
      </h2>
      <FormAlert>{state.formError ? err(state.formError.code, state.formError.params) : null}</FormAlert>
      <FormNotice>{state.notice ? t(state.notice) : null}</FormNotice>
      {verification ? (
        <p data-slot="email-status" data-verified={verified ? "true" : "false"}>
          {t(verified ? "page.profile.email.verified" : "page.profile.email.unverified", { email })}
        </p>
      ) : null}
      {verification && !verified ? (
        <form action={formAction} data-slot="send-verification-form">
          <HiddenFields values={{ ...hidden, intent: "send_verification" }} />
          <SubmitButton pending={pending} pendingLabel={t("action.submitting")}>
            {t("action.send_verification")}
          </SubmitButton>
        </form>
      ) : null}
      {pendingEmail ? (
        <div data-slot="email-pending">
          <p>{t("page.profile.email.pending", { email: pendingEmail })}</p>
          <form action={formAction} data-slot="cancel-email-change-form">
            <HiddenFields values={{ ...hidden, intent: "cancel_change" }} />
            <SubmitButton pending={pending} pendingLabel={t("action.submitting")}>
              {t("action.cancel_email_change")}
            </SubmitButton>
          </form>
        </div>
      ) : null}
    </section>
  );
}
