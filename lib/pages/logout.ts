import "server-only";
import { cookies } from "next/headers";
import { errorResponse } from "@/lib/api";
import { AppError } from "@/lib/errors";
import { sessionCookie } from "@/lib/http/cookies";
import { CSRF_FIELD } from "@/lib/http/csrf";
import { type HostedRequest, readHostedRequest } from "@/lib/http/next-request";
import type { Realm } from "@/lib/realms";
import { type Services, services } from "@/lib/services";
import { findHostedRealm } from "./hosted-realm";

/**
 * `/logout` (DESIGN section 2). Ending a session is a state change, so a cross-site link must not
 * do it silently (CSRF): GET logs out at once only when the app proves it holds a token of this
 * very session (`id_token_hint`) or when there is no session to end; otherwise the user confirms
 * on `/logout/confirm`, whose form POSTs back here with the CSRF token. Either way the session row
 * is deleted, so the old cookie is worthless, and the browser goes to a registered URI of the app
 * or to the login page.
 */
const PASS_THROUGH = ["client_id", "redirect_uri", "state"] as const;
const MAX_FORM_BYTES = 16 * 1024;

function passThrough(source: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of PASS_THROUGH) {
    const value = source[key];
    if (typeof value === "string" && value) out[key] = value;
  }
  return out;
}

function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}

function toConfirmation(gh: Services, realm: Realm, params: Record<string, string>): Response {
  const query = new URLSearchParams(params).toString();
  return seeOther(`${gh.realmUrl(realm)}/logout/confirm${query ? `?${query}` : ""}`);
}

/** Ends the session behind this browser's cookie, clears the cookie, sends it on to `params`' target. */
async function endAndLeave(
  gh: Services,
  realm: Realm,
  request: HostedRequest,
  params: Record<string, unknown>,
) {
  const cookie = sessionCookie(realm.id, gh.publicUrl);
  await gh.flows.logout(realm, request.cookie(cookie.name), request.context);
  (await cookies()).set(cookie.name, "", { ...cookie.options, maxAge: 0 });
  return seeOther(await gh.flows.logoutTarget(realm, params));
}

export async function handleLogoutGet(request: Request, slug: string): Promise<Response> {
  const realm = await findHostedRealm(slug);
  if (!realm) return errorResponse(new AppError("realm.not_found"), "");
  const [gh, hosted] = await Promise.all([services(), readHostedRequest()]);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const session = await gh.sessions.findLive(
    realm.id,
    hosted.cookie(sessionCookie(realm.id, gh.publicUrl).name),
  );
  if (session && !(await gh.flows.logoutHintMatches(realm, params.id_token_hint, session.id))) {
    return toConfirmation(gh, realm, passThrough(params));
  }
  return endAndLeave(gh, realm, hosted, params);
}

export async function handleLogoutPost(request: Request, slug: string): Promise<Response> {
  const realm = await findHostedRealm(slug);
  if (!realm) return errorResponse(new AppError("realm.not_found"), "");
  if (Number(request.headers.get("content-length") ?? "0") > MAX_FORM_BYTES) {
    return errorResponse(new AppError("request.too_large"), "");
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return errorResponse(new AppError("request.unsupported_media_type"), "");
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string") fields[key] = value;
  const [gh, hosted] = await Promise.all([services(), readHostedRequest()]);
  // A forged or stale form ends nothing; the user can confirm again on a fresh page.
  if (!hosted.csrfMatches(fields[CSRF_FIELD])) return toConfirmation(gh, realm, passThrough(fields));
  return endAndLeave(gh, realm, hosted, passThrough(fields));
}

export type LogoutConfirmPage =
  | { kind: "not_found" }
  | { kind: "redirect"; url: string }
  | {
      kind: "confirm";
      realmName: string;
      slug: string;
      email: string;
      hidden: Record<string, string>;
      stayUrl: string;
    };

/** `/logout/confirm`: who is signed in, and the form that ends it. Without a session, nothing to ask. */
export async function loadLogoutConfirm(
  slug: string,
  searchParams: Record<string, string | string[] | undefined>,
  request: HostedRequest,
): Promise<LogoutConfirmPage> {
  const realm = await findHostedRealm(slug);
  if (!realm) return { kind: "not_found" };
  const gh = await services();
  const params = passThrough(searchParams);
  const target = await gh.flows.logoutTarget(realm, params);
  const session = await gh.sessions.findLive(
    realm.id,
    request.cookie(sessionCookie(realm.id, gh.publicUrl).name),
  );
  const user = session ? await gh.users.find(realm.id, session.userId) : null;
  if (!session || !user) return { kind: "redirect", url: target };
  return {
    kind: "confirm",
    realmName: realm.name,
    slug: realm.slug,
    email: user.email,
    hidden: { ...params, [CSRF_FIELD]: request.csrfToken ?? "" },
    stayUrl: target,
  };
}
