import "server-only";
import { flowCookie } from "@/lib/http/cookies";
import { CSRF_FIELD } from "@/lib/http/csrf";
import type { HostedRequest } from "@/lib/http/next-request";
import { type Messages, messagesFor } from "@/lib/i18n";
import type { Realm } from "@/lib/realms";
import { type Services, services } from "@/lib/services";
import { loadRealmView, type RealmView } from "./hosted-page";
import { findHostedRealm } from "./hosted-realm";

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
