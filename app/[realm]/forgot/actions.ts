"use server";

import { redirect } from "next/navigation";
import type { FormState } from "@/lib/forms/state";
import { submitForgotPassword } from "@/lib/pages/password-reset";

export async function forgotPasswordAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitForgotPassword(slug, formData);
  if ("redirect" in result) redirect(result.redirect);
  return result.state;
}
