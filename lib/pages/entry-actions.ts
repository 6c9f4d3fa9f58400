import "server-only";
import { ALTCHA_FIELD } from "@/lib/bot-defence";
import { isAppError } from "@/lib/errors";
import { type Entry, entryToParams, HONEYPOT_FIELD, INVITATION_FIELD } from "@/lib/flows";
import { type FormState, formDataToObject, formStateFromError, hasNulCharacter } from "@/lib/forms/state";
import { sessionCookie } from "@/lib/http/cookies";
import { CSRF_FIELD } from "@/lib/http/csrf";
import { readHostedRequest } from "@/lib/http/next-request";
import { services } from "@/lib/services";
import { findHostedRealm } from "./hosted-realm";
import { applyLoginOutcome } from "./login-cookies";

/** The entry's parameters as hidden fields of a form (checked again when it comes back). */
export const ENTRY_FIELDS = ["client_id", "redirect_uri", "state", "redir", "return_to"] as const;
const FORM_FIELDS = {
  login: ["email", "password"],
  signup: [
    "email",
    "username",
    "password",
    "first_name",
    "last_name",
    INVITATION_FIELD,
    HONEYPOT_FIELD,
    ALTCHA_FIELD,
  ],
} as const;

export type EntryActionResult = { state: FormState } | { redirect: string };

const fail = (code: string): EntryActionResult => ({ state: { fieldErrors: {}, formError: { code } } });

/**
 * The POST of `/login` or `/signup`: CSRF, realm, entry (re-validated, never trusted from the
 * hidden fields), then the flow. On success the new session cookie is set and the caller redirects.
 */
export async function submitEntryForm(
  kind: "login" | "signup",
  slug: string,
  formData: FormData,
): Promise<EntryActionResult> {
  // Bound arguments travel through the client and can be tampered with: check their types.
  if (typeof slug !== "string" || !(formData instanceof FormData)) return fail("flow.invalid");
  const request = await readHostedRequest();
  if (!request.csrfMatches(formData.get(CSRF_FIELD))) return fail("csrf.invalid");
  if (hasNulCharacter(formData)) return fail("validation.failed");
  const realm = await findHostedRealm(slug);
  if (!realm) return fail("realm.not_found");
  const gh = await services();

  const fields = formDataToObject(formData, [...ENTRY_FIELDS, ...FORM_FIELDS[kind]]);
  const keep: Record<string, string> = {};
  for (const key of ["email", "username", "first_name", "last_name"])
    if (fields[key]) keep[key] = fields[key].slice(0, 300);

  const previous = request.cookie(sessionCookie(realm.id, gh.publicUrl).name);
  let entry: Entry | undefined;
  try {
    entry = await gh.flows.entry(realm, fields);
    const input = Object.fromEntries(FORM_FIELDS[kind].map((key) => [key, fields[key]]));
    const done =
      kind === "login"
        ? await gh.flows.loginWithPassword(realm, entry, input, request.context, previous)
        : await gh.flows.signup(realm, entry, input, request.context, previous);
    return { redirect: await applyLoginOutcome(realm, gh.publicUrl, done) };
  } catch (error) {
    // A password form of a page loaded before the realm went social-only: the page it came from
    // no longer shows that form (nor its answer, without JavaScript), so the browser goes back to
    // it with the message (an allow-listed code, lib/pages/hosted-page.ts) and the sign-in buttons.
    if (entry && isAppError(error) && error.code === "auth.password_login_disabled") {
      const query = new URLSearchParams({ ...entryToParams(entry), error: error.code });
      return { redirect: `${gh.realmUrl(realm)}/${kind}?${query}` };
    }
    return { state: formStateFromError(error, keep) };
  }
}
