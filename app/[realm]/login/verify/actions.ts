"use server";

import { redirect } from "next/navigation";
import type { FormState } from "@/lib/forms/state";
import { submitSecondFactor } from "@/lib/pages/second-factor-step";

export async function verifyTotpAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitSecondFactor(slug, "totp", formData);
  if ("redirect" in result) redirect(result.redirect);
  return result.state;
}

export async function verifyRecoveryCodeAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitSecondFactor(slug, "recovery_code", formData);
  if ("redirect" in result) redirect(result.redirect);
  return result.state;
}
