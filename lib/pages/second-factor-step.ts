import "server-only";
import type { SecondFactorMethod } from "@/lib/flows/second-factor-step";
import { type FormState, formDataToObject, formStateFromError, hasNulCharacter } from "@/lib/forms/state";
import { flowCookie } from "@/lib/http/cookies";
import { CSRF_FIELD } from "@/lib/http/csrf";
import { type HostedRequest, readHostedRequest } from "@/lib/http/next-request";
import type { Messages } from "@/lib/i18n";
import { groupedKey, qrDataUrl } from "@/lib/mfa";
import { services } from "@/lib/services";
import { loadFlowStep, submitFlowStep } from "./flow-step";
import type { RealmView } from "./hosted-page";
import { findHostedRealm } from "./hosted-realm";

type StepError = { kind: "error"; code: string; realm: RealmView; messages: Messages };

export type SecondFactorPage =
  | { kind: "not_found" }
  | StepError
  | {
      kind: "form";
      realm: RealmView;
      email: string;
      method: SecondFactorMethod;
      hidden: Record<string, string>;
      messages: Messages;
    };

/** `?method=recovery` shows the recovery-code form (a link, so the switch needs no script). */
export function methodOf(param: unknown): SecondFactorMethod {
  return param === "recovery" ? "recovery_code" : "totp";
}

/** `/{realm}/login/verify`: the login's second-factor step, for the flow in the cookie. */
export async function loadSecondFactorStep(
  slug: string,
  request: HostedRequest,
  method: SecondFactorMethod,
): Promise<SecondFactorPage> {
  const frame = await loadFlowStep(slug, request, (gh, realm, secret) =>
    gh.flows.secondFactorStep(realm, secret),
  );
  if (frame.kind !== "found") return frame;
  const { step, realm, hidden, messages } = frame;
  return { kind: "form", realm, email: step.email, method, hidden, messages };
}

const fail = (code: string) => ({ state: { fieldErrors: {}, formError: { code } } });

/**
 * The step's POST (one per method): CSRF, the flow from its cookie, the code. Right: the login goes
 * on. Wrong: the same field error every time. The flow's fifth failure: back to the login page with
 * a message, the flow cookie gone.
 */
export async function submitSecondFactor(
  slug: string,
  method: SecondFactorMethod,
  formData: FormData,
): Promise<{ state: FormState } | { redirect: string }> {
  // A bound argument: it travels through the client and can be tampered with.
  if (method !== "totp" && method !== "recovery_code") return fail("flow.invalid");
  return submitFlowStep(slug, formData, ({ gh, realm, request, flowSecret, sessionSecret }, form) =>
    gh.flows.verifySecondFactor(
      realm,
      flowSecret,
      method,
      formDataToObject(form, [method === "totp" ? "code" : "recovery_code"]),
      request.context,
      sessionSecret,
    ),
  );
}

export type EnrolmentPage =
  | { kind: "not_found" }
  | StepError
  | {
      kind: "setup";
      realm: RealmView;
      email: string;
      /** The QR code as an SVG data URL, the key in groups of four, the `otpauth://` URI. */
      qr: string;
      groupedKey: string;
      uri: string;
      hidden: Record<string, string>;
      messages: Messages;
    }
  | {
      kind: "confirmed";
      realm: RealmView;
      email: string;
      hidden: Record<string, string>;
      messages: Messages;
    };

/** `/{realm}/login/enrol-2fa`: set up an authenticator app during the login (the realm requires one). */
export async function loadEnrolmentStep(slug: string, request: HostedRequest): Promise<EnrolmentPage> {
  const frame = await loadFlowStep(slug, request, (gh, realm, secret) =>
    gh.flows.enrolmentStep(realm, secret),
  );
  if (frame.kind !== "found") return frame;
  const { step, realm, hidden, messages } = frame;
  if (step.kind === "confirmed") return { kind: "confirmed", realm, email: step.email, hidden, messages };
  return {
    kind: "setup",
    realm,
    email: step.email,
    qr: await qrDataUrl(step.uri),
    groupedKey: groupedKey(step.secret),
    uri: step.uri,
    hidden,
    messages,
  };
}

/** What the confirm form gets back: its errors, or the recovery codes to show (once). */
export interface EnrolmentFormState extends FormState {
  recoveryCodes?: string[];
}

/** "Confirm": the app's code turns 2FA on; the answer carries the recovery codes. */
export async function submitEnrolmentConfirm(slug: string, formData: FormData): Promise<EnrolmentFormState> {
  if (typeof slug !== "string" || !(formData instanceof FormData)) return fail("flow.invalid").state;
  const request = await readHostedRequest();
  if (!request.csrfMatches(formData.get(CSRF_FIELD))) return fail("csrf.invalid").state;
  if (hasNulCharacter(formData)) return fail("validation.failed").state;
  const realm = await findHostedRealm(slug);
  if (!realm) return fail("realm.not_found").state;
  const gh = await services();
  try {
    const recoveryCodes = await gh.flows.confirmEnrolmentStep(
      realm,
      request.cookie(flowCookie(realm.id, gh.publicUrl).name),
      formDataToObject(formData, ["code"]),
      request.context,
    );
    return { fieldErrors: {}, recoveryCodes };
  } catch (error) {
    return formStateFromError(error);
  }
}

/** "I have saved these codes": the login goes on. */
export async function submitEnrolmentContinue(
  slug: string,
  formData: FormData,
): Promise<{ state: FormState } | { redirect: string }> {
  return submitFlowStep(slug, formData, ({ gh, realm, request, flowSecret, sessionSecret }) =>
    gh.flows.continueAfterEnrolment(realm, flowSecret, request.context, sessionSecret),
  );
}
