import "server-only";
import { cookies } from "next/headers";
import { after } from "next/server";
import { cache } from "react";
import { ALTCHA_FIELD } from "@/lib/bot-defence";
import { TOKEN_MINUTES } from "@/lib/email";
import { isAppError } from "@/lib/errors";
import { loggableError } from "@/lib/errors/log-safe";
import { type FormState, formDataToObject, formStateFromError, hasNulCharacter } from "@/lib/forms/state";
import { linkTokenCookie, sessionCookie } from "@/lib/http/cookies";
import { CSRF_FIELD } from "@/lib/http/csrf";
import { type HostedRequest, readHostedRequest } from "@/lib/http/next-request";
import { type Messages, messagesFor } from "@/lib/i18n";
import { services } from "@/lib/services";
import { ENTRY_FIELDS } from "./entry-actions";
import { hostedPageTitle, loadRealmView, type RealmView } from "./hosted-page";
import { findHostedRealm } from "./hosted-realm";
import { applyLoginOutcome } from "./login-cookies";

/** How long a reset link works, for the pages' wording. */
export const RESET_MINUTES = TOKEN_MINUTES.password_reset;

type ActionResult = { state: FormState } | { redirect: string };

const fail = (code: string): ActionResult => ({ state: { fieldErrors: {}, formError: { code } } });

/**
 * The POST of `/forgot`: CSRF, realm, entry (checked again), then the request. The answer is the
 * same "check your email" for every address, and it leaves before the account is even looked up:
 * the link and its email are made after the response (`after`), so no timing tells them apart.
 */
export async function submitForgotPassword(slug: string, formData: FormData): Promise<ActionResult> {
  // Bound arguments travel through the client and can be tampered with: check their types.
  if (typeof slug !== "string" || !(formData instanceof FormData)) return fail("flow.invalid");
  const request = await readHostedRequest();
  if (!request.csrfMatches(formData.get(CSRF_FIELD))) return fail("csrf.invalid");
  if (hasNulCharacter(formData)) return fail("validation.failed");
  const realm = await findHostedRealm(slug);
  if (!realm) return fail("realm.not_found");
  const gh = await services();
  const fields = formDataToObject(formData, [...ENTRY_FIELDS, "email", ALTCHA_FIELD]);
  const values = fields.email ? { email: fields.email.slice(0, 300) } : undefined;
  try {
    const entry = await gh.flows.resetEntry(realm, fields);
    const pending = await gh.flows.requestPasswordReset(
      realm,
      entry,
      { email: fields.email, [ALTCHA_FIELD]: fields[ALTCHA_FIELD] },
      request.context,
    );
    after(() =>
      pending
        .deliver()
        .catch((error: unknown) =>
          console.error(`[reset] could not send a reset link: ${loggableError(error)}`),
        ),
    );
    return { state: { fieldErrors: {}, notice: "page.forgot.sent", values } };
  } catch (error) {
    return { state: formStateFromError(error, values) };
  }
}

export type ResetPage =
  | { kind: "not_found" }
  /** No live link behind the browser's cookie: "expired or already used". */
  | { kind: "expired"; realm: RealmView; messages: Messages }
  /** A social-only realm (`password_login: false`): no reset, whatever the link. */
  | { kind: "password_login_off"; realm: RealmView; messages: Messages }
  | { kind: "form"; realm: RealmView; email: string; hidden: Record<string, string>; messages: Messages };

/** The link behind the browser's reset cookie, once per request (title and page share it). */
const findResetLink = cache(async (slug: string, secret: string | undefined) => {
  const realm = await findHostedRealm(slug);
  if (!realm) return null;
  return (await services()).flows.passwordResetLink(realm, secret);
});

const secretOf = async (slug: string, request: HostedRequest) =>
  request.cookie(linkTokenCookie("reset", slug, (await services()).publicUrl).name);

/** `<title>` of `/{realm}/reset`: the form's, or the dead link's. */
export async function resetPageTitle(slug: string, request: HostedRequest): Promise<string> {
  const view = await loadRealmView(slug);
  if (view && !view.settings.passwordLogin)
    return hostedPageTitle(slug, "page.password_off.title", request.locale);
  const link = await findResetLink(slug, await secretOf(slug, request));
  return hostedPageTitle(slug, link ? "page.reset.title" : "page.reset.expired.title", request.locale);
}

/** `/{realm}/reset`: the form for the link whose secret the landing put in the cookie. */
export async function loadResetPage(slug: string, request: HostedRequest): Promise<ResetPage> {
  const view = await loadRealmView(slug);
  if (!view) return { kind: "not_found" };
  const messages = messagesFor(request.locale);
  if (!view.settings.passwordLogin) return { kind: "password_login_off", realm: view, messages };
  const link = await findResetLink(slug, await secretOf(slug, request));
  if (!link) return { kind: "expired", realm: view, messages };
  return {
    kind: "form",
    realm: view,
    email: link.email,
    hidden: { csrf_token: request.csrfToken ?? "" },
    messages,
  };
}

/**
 * The reset's POST: CSRF, the link from its cookie, the new password; then the login finishes
 * (or goes to its next step) and the cookie goes. A dead link shows the "expired" page.
 */
export async function submitResetPassword(slug: string, formData: FormData): Promise<ActionResult> {
  if (typeof slug !== "string" || !(formData instanceof FormData)) return fail("flow.invalid");
  const request = await readHostedRequest();
  if (!request.csrfMatches(formData.get(CSRF_FIELD))) return fail("csrf.invalid");
  if (hasNulCharacter(formData)) return fail("validation.failed");
  const realm = await findHostedRealm(slug);
  if (!realm) return fail("realm.not_found");
  const gh = await services();
  const cookie = linkTokenCookie("reset", realm.slug, gh.publicUrl);
  const forget = async () => (await cookies()).set(cookie.name, "", { ...cookie.options, maxAge: 0 });
  try {
    const outcome = await gh.flows.resetPassword(
      realm,
      request.cookie(cookie.name),
      formDataToObject(formData, ["password"]),
      request.context,
      request.cookie(sessionCookie(realm.id, gh.publicUrl).name),
    );
    await forget();
    return { redirect: await applyLoginOutcome(realm, gh.publicUrl, outcome) };
  } catch (error) {
    if (isAppError(error) && error.code === "reset.link_invalid") {
      await forget();
      return { redirect: `${gh.realmUrl(realm)}/reset` };
    }
    // Never hand passwords back to the form.
    return { state: formStateFromError(error) };
  }
}
