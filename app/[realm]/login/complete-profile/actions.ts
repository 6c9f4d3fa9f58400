"use server";

import { redirect } from "next/navigation";
import type { FormState } from "@/lib/forms/state";
import { submitCompleteProfileStep } from "@/lib/pages/complete-profile-step";

export async function completeProfileAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitCompleteProfileStep(slug, formData);
  if ("redirect" in result) redirect(result.redirect);
  return result.state;
}
