import type { z } from "zod";
import { fieldErrorsFromIssue, isAppError } from "@/lib/errors";
import type { MessageKey } from "@/lib/i18n";

/** One error, as a catalogue code plus parameters; the page turns it into text in the user's language. */
export interface ErrorItem {
  code: string;
  params?: Record<string, string | number>;
}

/** What a form action returns when it does not redirect (STYLE rule 5). */
export interface FormState {
  fieldErrors: Record<string, ErrorItem[]>;
  formError?: ErrorItem;
  /** Values to put back in the form (never passwords). */
  values?: Record<string, string>;
  /** A success message (catalogue key) to announce after an action that stays on the page. */
  notice?: MessageKey;
}

export const emptyFormState: FormState = { fieldErrors: {} };

export function fieldErrorsFromZod(error: z.ZodError): Record<string, ErrorItem[]> {
  const out: Record<string, ErrorItem[]> = {};
  for (const { field, code, params } of error.issues.flatMap(fieldErrorsFromIssue)) {
    const list = out[field] ?? [];
    if (!list.some((e) => e.code === code)) list.push({ code, params });
    out[field] = list;
  }
  return out;
}

/** Expected failures become form state; anything else is a bug and keeps propagating. */
export function formStateFromError(error: unknown, values?: Record<string, string>): FormState {
  if (!isAppError(error)) throw error;
  const fieldErrors: Record<string, ErrorItem[]> = {};
  for (const f of error.fields) {
    const list = fieldErrors[f.field] ?? [];
    list.push({ code: f.code, params: f.params });
    fieldErrors[f.field] = list;
  }
  const formError = error.fields.length === 0 ? { code: error.code, params: error.params } : undefined;
  return { fieldErrors, formError, values };
}

/** FormData → plain object of its string fields (files and repeated keys are ignored). */
export function formDataToObject(form: FormData, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = form.get(key);
    if (typeof value === "string") out[key] = value;
  }
  return out;
}

/**
 * Whether any text field of a posted form holds a NUL character. No field accepts one (PostgreSQL
 * cannot store it, and a browser cannot type it): every form action refuses such a post before it
 * reads anything, as the API does with JSON bodies. Before, a NUL in a field that reached a query
 * (an app id, a session id) was a 500 (found by test/reliability/form-fuzz.test.ts).
 */
export function hasNulCharacter(form: FormData): boolean {
  for (const [, value] of form) if (typeof value === "string" && value.includes("\u0000")) return true;
  return false;
}
