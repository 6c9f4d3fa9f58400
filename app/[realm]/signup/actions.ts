"use server";

import { redirect } from "next/navigation";
import type { FormState } from "@/lib/forms/state";
import { submitEntryForm } from "@/lib/pages/entry-actions";

export async function signupAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitEntryForm("signup", slug, formData);
  if ("redirect" in result) redirect(result.redirect);
  return result.state;
}
