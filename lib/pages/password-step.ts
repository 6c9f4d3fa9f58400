import "server-only";
import type { FormState } from "@/lib/forms/state";
import { formDataToObject, formStateFromError, hasNulCharacter } from "@/lib/forms/state";
import { flowCookie, sessionCookie } from "@/lib/http/cookies";
import { CSRF_FIELD } from "@/lib/http/csrf";
import type { HostedRequest } from "@/lib/http/next-request";
import { readHostedRequest } from "@/lib/http/next-request";
import type { Messages } from "@/lib/i18n";
import type { PasswordChangeReason } from "@/lib/passwords/expiry";
import { services } from "@/lib/services";
import { loadFlowStep } from "./flow-step";
import type { RealmView } from "./hosted-page";
import { findHostedRealm } from "./hosted-realm";
import { applyLoginOutcome } from "./login-cookies";

export type PasswordStepPage =
  | { kind: "not_found" }
  | { kind: "error"; code: string; realm: RealmView; messages: Messages }
  | {
      kind: "form";
      realm: RealmView;
      email: string;
      reason: PasswordChangeReason;
      hidden: Record<string, string>;
      messages: Messages;
    };

/** `/{realm}/login/password`: the login's "choose a new password" step, for the flow in the cookie. */
export async function loadPasswordStep(slug: string, request: HostedRequest): Promise<PasswordStepPage> {
  const frame = await loadFlowStep(slug, request, (gh, realm, secret) =>
    gh.flows.passwordStep(realm, secret),
  );
  if (frame.kind !== "found") return frame;
  const { step, realm, hidden, messages } = frame;
  // A login that began before the realm went social-only: its step refuses (and so does its POST).
  if (!realm.settings.passwordLogin)
    return { kind: "error", code: "auth.password_login_disabled", realm, messages };
  return { kind: "form", realm, email: step.email, reason: step.reason, hidden, messages };
}

/** The step's POST: CSRF, the flow from its cookie, the new password; then the login finishes. */
export async function submitPasswordStep(
  slug: string,
  formData: FormData,
): Promise<{ state: FormState } | { redirect: string }> {
  const fail = (code: string) => ({ state: { fieldErrors: {}, formError: { code } } });
  if (typeof slug !== "string" || !(formData instanceof FormData)) return fail("flow.invalid");
  const request = await readHostedRequest();
  if (!request.csrfMatches(formData.get(CSRF_FIELD))) return fail("csrf.invalid");
  if (hasNulCharacter(formData)) return fail("validation.failed");
  const realm = await findHostedRealm(slug);
  if (!realm) return fail("realm.not_found");
  const gh = await services();
  try {
    const done = await gh.flows.choosePassword(
      realm,
      request.cookie(flowCookie(realm.id, gh.publicUrl).name),
      formDataToObject(formData, ["password"]),
      request.context,
      request.cookie(sessionCookie(realm.id, gh.publicUrl).name),
    );
    return { redirect: await applyLoginOutcome(realm, gh.publicUrl, done) };
  } catch (error) {
    return { state: formStateFromError(error) };
  }
}
