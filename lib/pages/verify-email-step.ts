import "server-only";
import { type FormState, formStateFromError, hasNulCharacter } from "@/lib/forms/state";
import { flowCookie, sessionCookie } from "@/lib/http/cookies";
import { CSRF_FIELD } from "@/lib/http/csrf";
import { type HostedRequest, readHostedRequest } from "@/lib/http/next-request";
import type { Messages } from "@/lib/i18n";
import { services } from "@/lib/services";
import { loadFlowStep } from "./flow-step";
import type { RealmView } from "./hosted-page";
import { findHostedRealm } from "./hosted-realm";
import { applyLoginOutcome } from "./login-cookies";

export type VerifyEmailStepPage =
  | { kind: "not_found" }
  | { kind: "error"; code: string; realm: RealmView; messages: Messages }
  | { kind: "step"; realm: RealmView; email: string; hidden: Record<string, string>; messages: Messages };

/** `/{realm}/login/verify-email`: "check your inbox", for the login flow in the cookie. */
export async function loadVerifyEmailStep(
  slug: string,
  request: HostedRequest,
): Promise<VerifyEmailStepPage> {
  const frame = await loadFlowStep(slug, request, (gh, realm, secret) =>
    gh.flows.verifyEmailStep(realm, secret),
  );
  if (frame.kind !== "found") return frame;
  const { step, realm, hidden, messages } = frame;
  return { kind: "step", realm, email: step.email, hidden, messages };
}

/**
 * The step's two buttons. `resend`: a new link (the answer is the same when the address is over
 * its hourly budget and nothing goes). `continue`: the link was opened elsewhere; the login goes on
 * once the address is verified, else the page says it is not yet.
 */
export async function submitVerifyEmailStep(
  slug: string,
  intent: "resend" | "continue",
  formData: FormData,
): Promise<{ state: FormState } | { redirect: string }> {
  const fail = (code: string) => ({ state: { fieldErrors: {}, formError: { code } } });
  // Bound arguments travel through the client and can be tampered with: check their types.
  if (typeof slug !== "string" || !(formData instanceof FormData)) return fail("flow.invalid");
  const request = await readHostedRequest();
  if (!request.csrfMatches(formData.get(CSRF_FIELD))) return fail("csrf.invalid");
  if (hasNulCharacter(formData)) return fail("validation.failed");
  const realm = await findHostedRealm(slug);
  if (!realm) return fail("realm.not_found");
  const gh = await services();
  const flowSecret = request.cookie(flowCookie(realm.id, gh.publicUrl).name);
  try {
    if (intent === "resend") {
      await gh.flows.resendVerification(realm, flowSecret);
      return { state: { fieldErrors: {}, notice: "page.verify_email_step.resent" } };
    }
    const outcome = await gh.flows.continueAfterVerification(
      realm,
      flowSecret,
      request.context,
      request.cookie(sessionCookie(realm.id, gh.publicUrl).name),
    );
    if (!outcome) return { state: { fieldErrors: {}, notice: "page.verify_email_step.not_yet" } };
    return { redirect: await applyLoginOutcome(realm, gh.publicUrl, outcome) };
  } catch (error) {
    return { state: formStateFromError(error) };
  }
}
