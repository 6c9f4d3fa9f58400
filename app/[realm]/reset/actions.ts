"use server";

import { redirect } from "next/navigation";
import type { FormState } from "@/lib/forms/state";
import { submitResetPassword } from "@/lib/pages/password-reset";

export async function resetPasswordAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitResetPassword(slug, formData);
  if ("redirect" in result) redirect(result.redirect);
  return result.state;
}
