"use server";

import { redirect } from "next/navigation";
import type { FormState } from "@/lib/forms/state";
import { submitVerifyEmailStep } from "@/lib/pages/verify-email-step";

export async function resendLinkAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitVerifyEmailStep(slug, "resend", formData);
  if ("redirect" in result) redirect(result.redirect);
  return result.state;
}

export async function continueAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitVerifyEmailStep(slug, "continue", formData);
  if ("redirect" in result) redirect(result.redirect);
  return result.state;
}
