"use server";

import { redirect } from "next/navigation";
import type { FormState } from "@/lib/forms/state";
import {
  type EnrolmentFormState,
  submitEnrolmentConfirm,
  submitEnrolmentContinue,
} from "@/lib/pages/second-factor-step";

export async function confirmEnrolmentAction(
  slug: string,
  _previous: EnrolmentFormState,
  formData: FormData,
): Promise<EnrolmentFormState> {
  return submitEnrolmentConfirm(slug, formData);
}

export async function continueAfterEnrolmentAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitEnrolmentContinue(slug, formData);
  if ("redirect" in result) redirect(result.redirect);
  return result.state;
}
