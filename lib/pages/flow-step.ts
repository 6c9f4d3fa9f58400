import "server-only";
import type { LoginOutcome } from "@/lib/flows";
import type { FlowVoided } from "@/lib/flows/second-factor-step";
import { type FormState, formStateFromError, hasNulCharacter } from "@/lib/forms/state";
import { flowCookie, sessionCookie } from "@/lib/http/cookies";
import { CSRF_FIELD } from "@/lib/http/csrf";
import { type HostedRequest, readHostedRequest } from "@/lib/http/next-request";
import { type Messages, messagesFor } from "@/lib/i18n";
import type { Realm } from "@/lib/realms";
import { type Services, services } from "@/lib/services";
import { loadRealmView, type RealmView } from "./hosted-page";
import { findHostedRealm } from "./hosted-realm";
import { applyLoginOutcome, clearFlowCookie } from "./login-cookies";

/** What every login-step page starts from: the realm, or 404; the flow's step, or the error page. */
export type FlowStepFrame<T> =
  | { kind: "not_found" }
  | { kind: "error"; code: string; realm: RealmView; messages: Messages }
  | { kind: "found"; step: T; realm: RealmView; hidden: Record<string, string>; messages: Messages };

/**
 * Loads a step page of the login flow (`/login/password`, `/login/verify`, …): the realm and its
 * view, then `find` with the flow secret from the browser's cookie; no live flow owing that step
 * is the `flow.invalid` error page. `hidden` carries the form's CSRF token.
 */
export async function loadFlowStep<T>(
  slug: string,
  request: HostedRequest,
  find: (gh: Services, realm: Realm, flowSecret: string | undefined) => Promise<T | null>,
): Promise<FlowStepFrame<T>> {
  const realm = await findHostedRealm(slug);
  const view = await loadRealmView(slug);
  if (!realm || !view) return { kind: "not_found" };
  const gh = await services();
  const messages = messagesFor(request.locale);
  const step = await find(gh, realm, request.cookie(flowCookie(realm.id, gh.publicUrl).name));
  if (!step) return { kind: "error", code: "flow.invalid", realm: view, messages };
  return { kind: "found", step, realm: view, hidden: { [CSRF_FIELD]: request.csrfToken ?? "" }, messages };
}

/** What a step's POST hands its service: the realm, the request and the browser's secrets. */
export interface FlowStepPost {
  gh: Services;
  realm: Realm;
  request: HostedRequest;
  /** The flow cookie's secret: which login this POST goes on with. */
  flowSecret: string | undefined;
  /** The browser's current session cookie, ended when the login finishes. */
  sessionSecret: string | undefined;
}

/** What a step's service answered: the login went on, the flow was voided, or a message for the form. */
export type FlowStepAnswer = LoginOutcome | FlowVoided | { state: FormState };

const failed = (code: string) => ({ state: { fieldErrors: {}, formError: { code } } });

/**
 * The POST of a login-step page (`/login/password`, `/login/verify`, `/login/link`, …): bound
 * arguments checked (they travel through the client and can be tampered with), CSRF, no NUL
 * character anywhere, the realm; then `run`, and its outcome put into the browser (the session
 * and device cookies when the login finished, the flow cookie when another step is owed, the
 * flow cookie gone when it was voided). A failure comes back as the form's state, by `onError`.
 */
export async function submitFlowStep(
  slug: unknown,
  formData: unknown,
  run: (post: FlowStepPost, formData: FormData) => Promise<FlowStepAnswer>,
  onError: (error: unknown, formData: FormData) => FormState = (error) => formStateFromError(error),
): Promise<{ state: FormState } | { redirect: string }> {
  if (typeof slug !== "string" || !(formData instanceof FormData)) return failed("flow.invalid");
  const request = await readHostedRequest();
  if (!request.csrfMatches(formData.get(CSRF_FIELD))) return failed("csrf.invalid");
  if (hasNulCharacter(formData)) return failed("validation.failed");
  const realm = await findHostedRealm(slug);
  if (!realm) return failed("realm.not_found");
  const gh = await services();
  try {
    const answer = await run(
      {
        gh,
        realm,
        request,
        flowSecret: request.cookie(flowCookie(realm.id, gh.publicUrl).name),
        sessionSecret: request.cookie(sessionCookie(realm.id, gh.publicUrl).name),
      },
      formData,
    );
    if ("state" in answer) return answer;
    if (answer.kind === "voided") {
      await clearFlowCookie(realm, gh.publicUrl);
      return { redirect: answer.redirectUrl };
    }
    return { redirect: await applyLoginOutcome(realm, gh.publicUrl, answer) };
  } catch (error) {
    return { state: onError(error, formData) };
  }
}
