import "server-only";
import type { ProfileField } from "@/lib/flows/forms";
import type { FormState } from "@/lib/forms/state";
import { formDataToObject, formStateFromError } from "@/lib/forms/state";
import { flowCookie, sessionCookie } from "@/lib/http/cookies";
import { CSRF_FIELD } from "@/lib/http/csrf";
import type { HostedRequest } from "@/lib/http/next-request";
import { readHostedRequest } from "@/lib/http/next-request";
import type { Messages } from "@/lib/i18n";
import { services } from "@/lib/services";
import { loadFlowStep } from "./flow-step";
import type { RealmView } from "./hosted-page";
import { findHostedRealm } from "./hosted-realm";
import { applyLoginOutcome } from "./login-cookies";

/** The fields the form may carry back (lib/flows/forms.ts PROFILE_FIELDS). */
const FIELDS: readonly ProfileField[] = ["first_name", "last_name"];

export type CompleteProfileStepPage =
  | { kind: "not_found" }
  | { kind: "error"; code: string; realm: RealmView; messages: Messages }
  | {
      kind: "form";
      realm: RealmView;
      email: string;
      fields: ProfileField[];
      values: Partial<Record<ProfileField, string>>;
      hidden: Record<string, string>;
      messages: Messages;
    };

/** `/{realm}/login/complete-profile`: the fields the realm requires, for the flow in the cookie. */
export async function loadCompleteProfileStep(
  slug: string,
  request: HostedRequest,
): Promise<CompleteProfileStepPage> {
  const frame = await loadFlowStep(slug, request, (gh, realm, secret) =>
    gh.flows.completeProfileStep(realm, secret),
  );
  if (frame.kind !== "found") return frame;
  const { step, realm, hidden, messages } = frame;
  return {
    kind: "form",
    realm,
    email: step.email,
    fields: step.fields,
    values: step.values,
    hidden,
    messages,
  };
}

/** The step's POST: CSRF, the flow from its cookie, the fields; then the login goes on. */
export async function submitCompleteProfileStep(
  slug: string,
  formData: FormData,
): Promise<{ state: FormState } | { redirect: string }> {
  const fail = (code: string) => ({ state: { fieldErrors: {}, formError: { code } } });
  // Bound arguments travel through the client and can be tampered with: check their types.
  if (typeof slug !== "string" || !(formData instanceof FormData)) return fail("flow.invalid");
  const request = await readHostedRequest();
  if (!request.csrfMatches(formData.get(CSRF_FIELD))) return fail("csrf.invalid");
  const realm = await findHostedRealm(slug);
  if (!realm) return fail("realm.not_found");
  const gh = await services();
  const input = formDataToObject(formData, FIELDS);
  try {
    const done = await gh.flows.completeProfile(
      realm,
      request.cookie(flowCookie(realm.id, gh.publicUrl).name),
      input,
      request.context,
      request.cookie(sessionCookie(realm.id, gh.publicUrl).name),
    );
    return { redirect: await applyLoginOutcome(realm, gh.publicUrl, done) };
  } catch (error) {
    // What was typed comes back (bounded), to be corrected.
    const values = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, v.slice(0, 300)]));
    return { state: formStateFromError(error, values) };
  }
}
