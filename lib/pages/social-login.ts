import "server-only";
import { cookies } from "next/headers";
import { errorResponse } from "@/lib/api";
import { AppError } from "@/lib/errors";
import { type FormState, formDataToObject } from "@/lib/forms/state";
import { flowCookie, sessionCookie } from "@/lib/http/cookies";
import { type HostedRequest, readHostedRequest } from "@/lib/http/next-request";
import type { Messages } from "@/lib/i18n";
import type { Realm } from "@/lib/realms";
import { services } from "@/lib/services";
import { loadFlowStep, submitFlowStep } from "./flow-step";
import type { RealmView } from "./hosted-page";
import { findHostedRealm } from "./hosted-realm";
import { applyLoginOutcome, clearFlowCookie } from "./login-cookies";

function seeOther(location: string): Response {
  return new Response(null, {
    status: 303,
    headers: { location, "cache-control": "no-store", "referrer-policy": "no-referrer" },
  });
}

/** The login page with `social.failed`: what an unexpected error becomes (never a stack trace). */
function unexpected(gh: { realmUrl: (realm: Realm) => string }, realm: Realm, error: unknown): Response {
  console.error(`[gatehouse] social login failed: ${error instanceof Error ? error.name : "error"}`);
  return seeOther(`${gh.realmUrl(realm)}/login?error=social.failed`);
}

/** `GET /{realm}/login/social/{provider}`: the sign-in button; off to the provider (or back to /login). */
export async function handleSocialStart(request: Request, slug: string, providerSlug: string) {
  const realm = await findHostedRealm(slug);
  if (!realm) return errorResponse(new AppError("realm.not_found"), "");
  const [gh, hosted] = await Promise.all([services(), readHostedRequest()]);
  try {
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const result = await gh.flows.startSocialLogin(realm, providerSlug, params, hosted.context);
    if (result.kind === "failed") return seeOther(result.redirectUrl);
    const flow = flowCookie(realm.id, gh.publicUrl);
    (await cookies()).set(flow.name, result.flowSecret, { ...flow.options, expires: result.flowExpiresAt });
    return seeOther(result.redirectUrl);
  } catch (error) {
    return unexpected(gh, realm, error);
  }
}

/** `GET /{realm}/login/social/{provider}/callback`: the provider's answer; on to the app, a step, or /login. */
export async function handleSocialCallback(request: Request, slug: string, providerSlug: string) {
  const realm = await findHostedRealm(slug);
  if (!realm) return errorResponse(new AppError("realm.not_found"), "");
  const [gh, hosted] = await Promise.all([services(), readHostedRequest()]);
  try {
    const result = await gh.flows.finishSocialLogin(
      realm,
      providerSlug,
      hosted.cookie(flowCookie(realm.id, gh.publicUrl).name),
      new URL(request.url).searchParams,
      hosted.context,
      hosted.cookie(sessionCookie(realm.id, gh.publicUrl).name),
    );
    if (result.kind === "failed") {
      await clearFlowCookie(realm, gh.publicUrl);
      return seeOther(result.redirectUrl);
    }
    return seeOther(await applyLoginOutcome(realm, gh.publicUrl, result));
  } catch (error) {
    await clearFlowCookie(realm, gh.publicUrl).catch(() => undefined);
    return unexpected(gh, realm, error);
  }
}

export type LinkStepPage =
  | { kind: "not_found" }
  | { kind: "error"; code: string; realm: RealmView; messages: Messages }
  | {
      kind: "form";
      realm: RealmView;
      email: string;
      providerName: string;
      hasPassword: boolean;
      query: string;
      hidden: Record<string, string>;
      messages: Messages;
    };

/** `/{realm}/login/link`: prove the existing account with its password to link the new identity. */
export async function loadLinkStep(slug: string, request: HostedRequest): Promise<LinkStepPage> {
  const frame = await loadFlowStep(slug, request, (gh, realm, secret) =>
    gh.flows.linkIdentityStep(realm, secret),
  );
  if (frame.kind !== "found") return frame;
  const { step, realm, hidden, messages } = frame;
  return { kind: "form", realm, ...step, hidden, messages };
}

/** The link step's POST: CSRF, the flow from its cookie, the password; then the login goes on. */
export async function submitLinkStep(
  slug: string,
  formData: FormData,
): Promise<{ state: FormState } | { redirect: string }> {
  return submitFlowStep(slug, formData, ({ gh, realm, request, flowSecret, sessionSecret }, form) =>
    gh.flows.linkIdentityWithPassword(
      realm,
      flowSecret,
      formDataToObject(form, ["password"]),
      request.context,
      sessionSecret,
    ),
  );
}
