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
 * A form that is one button ("Confirm my address", "Send the link again"): hidden fields, the
 * server's answer as an alert or a notice above it. A plain POST without JavaScript.
 */
export function ButtonForm({
  slot,
  action,
  hidden,
  label,
}: {
  slot: string;
  action: FormAction;
  hidden: Record<string, string>;
  label: string;
}) {
  const { t, err } = useT();
  const [state, formAction, pending] = useActionState(action, initialState);
  return (
    <form action={formAction} data-slot={slot}>
      <FormAlert>{state.formError ? err(state.formError.code, state.formError.params) : null}</FormAlert>
      <FormNotice>{state.notice ? t(state.notice) : null}</FormNotice>
      <HiddenFields values={hidden} />
      <SubmitButton pending={pending} pendingLabel={t("action.submitting")}>
        {label}
      </SubmitButton>
    </form>
  );
}
