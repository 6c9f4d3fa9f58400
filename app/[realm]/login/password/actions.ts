"use server";

import { redirect } from "next/navigation";
import type { FormState } from "@/lib/forms/state";
import { submitPasswordStep } from "@/lib/pages/password-step";

export async function choosePasswordAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitPasswordStep(slug, formData);
  if ("redirect" in result) redirect(result.redirect);
  return result.state;
}
