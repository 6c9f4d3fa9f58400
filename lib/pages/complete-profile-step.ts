import "server-only";
import type { ProfileField } from "@/lib/flows/forms";
import type { FormState } from "@/lib/forms/state";
import { formDataToObject, formStateFromError } from "@/lib/forms/state";
import type { HostedRequest } from "@/lib/http/next-request";
import type { Messages } from "@/lib/i18n";
import { loadFlowStep, submitFlowStep } from "./flow-step";
import type { RealmView } from "./hosted-page";

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
  return submitFlowStep(
    slug,
    formData,
    ({ gh, realm, request, flowSecret, sessionSecret }, form) =>
      gh.flows.completeProfile(
        realm,
        flowSecret,
        formDataToObject(form, FIELDS),
        request.context,
        sessionSecret,
      ),
    // What was typed comes back (bounded), to be corrected.
    (error, form) => {
      const typed = Object.entries(formDataToObject(form, FIELDS)).map(([k, v]) => [k, v.slice(0, 300)]);
      return formStateFromError(error, Object.fromEntries(typed));
    },
  );
}
