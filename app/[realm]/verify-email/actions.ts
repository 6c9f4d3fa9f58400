"use server";

import { redirect } from "next/navigation";
import type { FormState } from "@/lib/forms/state";
import { submitLinkConfirmation } from "@/lib/pages/verify-email";

export async function confirmLinkAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitLinkConfirmation(slug, formData);
  if ("redirect" in result) redirect(result.redirect);
  return result.state;
}
