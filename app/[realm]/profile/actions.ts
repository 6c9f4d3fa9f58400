"use server";

import { refresh } from "next/cache";
import { redirect } from "next/navigation";
import type { FormState } from "@/lib/forms/state";
import {
  submitEmailAction,
  submitEmailChange,
  submitEndSession,
  submitLinkedAccounts,
  submitPasswordChange,
  submitTwoFactor,
  type TwoFactorState,
} from "@/lib/pages/profile-actions";

export async function changePasswordAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitPasswordChange(slug, formData);
  if ("redirect" in result) redirect(result.redirect);
  // The other sessions ended: the list on the page must show it.
  if (result.state.notice) refresh();
  return result.state;
}

export async function endSessionAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitEndSession(slug, formData);
  if ("redirect" in result) redirect(result.redirect);
  return result.state;
}

export async function changeEmailAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitEmailChange(slug, formData);
  if ("redirect" in result) redirect(result.redirect);
  // The pending change shows in the email section.
  if (result.state.notice) refresh();
  return result.state;
}

export async function emailAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitEmailAction(slug, formData);
  if ("redirect" in result) redirect(result.redirect);
  if (result.state.notice) refresh();
  return result.state;
}

/**
 * The "Two-step verification" section. The page is rendered again after every answer (status,
 * the password form or the setup in progress come from the server); recovery codes live only in
 * the returned state, so they are shown once.
 */
export async function twoFactorAction(
  slug: string,
  _previous: TwoFactorState,
  formData: FormData,
): Promise<TwoFactorState> {
  const result = await submitTwoFactor(slug, formData);
  if ("redirect" in result) redirect(result.redirect);
  refresh();
  return result.state;
}

/** The "Linked accounts" section: the page is rendered again after every answer (the list, the form). */
export async function linkedAccountsAction(
  slug: string,
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const result = await submitLinkedAccounts(slug, formData);
  if ("redirect" in result) redirect(result.redirect);
  refresh();
  return result.state;
}
