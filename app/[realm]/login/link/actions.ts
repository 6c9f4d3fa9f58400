"use server";

import { redirect } from "next/navigation";
import type { FormState } from "@/lib/forms/state";
import { submitLinkStep } from "@/lib/pages/social-login";

export async function linkIdentityAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitLinkStep(slug, formData);
  if ("redirect" in result) redirect(result.redirect);
  return result.state;
}
