"use client";

import type { ReactNode } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { FormAlert } from "@/components/ui/form-alert";
import { HiddenFields } from "@/components/ui/hidden-fields";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionFormHandle } from "./use-action-form";

/** The frame every hosted form shares: form-level alert first, hidden entry fields, one submit. */
export function ActionForm({
  slot,
  handle,
  hidden,
  submitLabel,
  children,
}: {
  slot: string;
  /** What `useActionForm` returned for this form. */
  handle: Pick<ActionFormHandle, "formRef" | "formAction" | "onSubmit" | "state" | "pending">;
  hidden: Record<string, string>;
  submitLabel: string;
  children: ReactNode;
}) {
  const { t, err } = useT();
  const { formRef, formAction, onSubmit, state, pending } = handle;
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate data-slot={slot}>
      <FormAlert>{state.formError ? err(state.formError.code, state.formError.params) : null}</FormAlert>
      <HiddenFields values={hidden} />
      {children}
      <SubmitButton pending={pending} pendingLabel={t("action.submitting")}>
        {submitLabel}
      </SubmitButton>
    </form>
  );
}
