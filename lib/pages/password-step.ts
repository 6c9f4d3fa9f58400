import "server-only";
import type { FormState } from "@/lib/forms/state";
import { formDataToObject } from "@/lib/forms/state";
import type { HostedRequest } from "@/lib/http/next-request";
import type { Messages } from "@/lib/i18n";
import type { PasswordChangeReason } from "@/lib/passwords/expiry";
import { loadFlowStep, submitFlowStep } from "./flow-step";
import type { RealmView } from "./hosted-page";

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
  return submitFlowStep(slug, formData, ({ gh, realm, request, flowSecret, sessionSecret }, form) =>
    gh.flows.choosePassword(
      realm,
      flowSecret,
      formDataToObject(form, ["password"]),
      request.context,
      sessionSecret,
    ),
  );
}
