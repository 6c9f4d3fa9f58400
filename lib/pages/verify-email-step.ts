import "server-only";
import type { FormState } from "@/lib/forms/state";
import type { HostedRequest } from "@/lib/http/next-request";
import type { Messages } from "@/lib/i18n";
import { loadFlowStep, submitFlowStep } from "./flow-step";
import type { RealmView } from "./hosted-page";

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
  return submitFlowStep(slug, formData, async ({ gh, realm, request, flowSecret, sessionSecret }) => {
    if (intent === "resend") {
      await gh.flows.resendVerification(realm, flowSecret);
      return { state: { fieldErrors: {}, notice: "page.verify_email_step.resent" } };
    }
    const outcome = await gh.flows.continueAfterVerification(
      realm,
      flowSecret,
      request.context,
      sessionSecret,
    );
    return outcome ?? { state: { fieldErrors: {}, notice: "page.verify_email_step.not_yet" } };
  });
}
