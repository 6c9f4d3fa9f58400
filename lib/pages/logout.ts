import "server-only";
import { errorResponse } from "@/lib/api";
import { AppError } from "@/lib/errors";
import { csrfCookie, sessionCookie } from "@/lib/http/cookies";
import { CSRF_FIELD, verifyCsrf } from "@/lib/http/csrf";
import type { HostedRequest } from "@/lib/http/next-request";
import { requestContext } from "@/lib/http/request-context";
import type { Realm } from "@/lib/realms";
import { type Services, services } from "@/lib/services";

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

async function realmFor(slug: string): Promise<{ gh: Services; realm: Realm } | null> {
  const gh = await services();
  const realm = await gh.realms.find(slug);
  return realm && realm.slug === slug ? { gh, realm } : null;
}

function passThrough(source: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of PASS_THROUGH) {
    const value = source[key];
    if (typeof value === "string" && value) out[key] = value;
  }
  return out;
}

function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      // Our secrets are base64url; anything else (a planted `%`) is simply not our cookie.
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

function redirectClearing(location: string, cookieName: string, secure: boolean): Response {
  const expired = [
    `${cookieName}=`,
    "Path=/",
    "SameSite=Lax",
    "HttpOnly",
    "Max-Age=0",
    ...(secure ? ["Secure"] : []),
  ];
  return new Response(null, {
    status: 303,
    headers: { location, "set-cookie": expired.join("; "), "cache-control": "no-store" },
  });
}

export async function handleLogoutGet(request: Request, slug: string): Promise<Response> {
  const found = await realmFor(slug);
  if (!found) return errorResponse(new AppError("realm.not_found"), "");
  const { gh, realm } = found;
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const cookie = sessionCookie(realm.id, gh.publicUrl);
  const secret = readCookie(request.headers.get("cookie"), cookie.name);
  const target = await gh.flows.logoutTarget(realm, params);
  const session = await gh.sessions.findLive(realm.id, secret);
  if (session && !(await gh.flows.logoutHintMatches(realm, params.id_token_hint, session.id))) {
    const query = new URLSearchParams(passThrough(params)).toString();
    return new Response(null, {
      status: 303,
      headers: {
        location: `${gh.realmUrl(realm)}/logout/confirm${query ? `?${query}` : ""}`,
        "cache-control": "no-store",
      },
    });
  }
  await gh.flows.logout(realm, secret, requestContext(request.headers));
  return redirectClearing(target, cookie.name, cookie.options.secure);
}

export async function handleLogoutPost(request: Request, slug: string): Promise<Response> {
  const found = await realmFor(slug);
  if (!found) return errorResponse(new AppError("realm.not_found"), "");
  const { gh, realm } = found;
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
  const params = passThrough(fields);
  const cookieHeader = request.headers.get("cookie");
  if (!verifyCsrf(fields[CSRF_FIELD], readCookie(cookieHeader, csrfCookie(gh.publicUrl).name))) {
    // A forged or stale form ends nothing; the user can confirm again on a fresh page.
    const query = new URLSearchParams(params).toString();
    return new Response(null, {
      status: 303,
      headers: {
        location: `${gh.realmUrl(realm)}/logout/confirm${query ? `?${query}` : ""}`,
        "cache-control": "no-store",
      },
    });
  }
  const cookie = sessionCookie(realm.id, gh.publicUrl);
  await gh.flows.logout(realm, readCookie(cookieHeader, cookie.name), requestContext(request.headers));
  return redirectClearing(await gh.flows.logoutTarget(realm, params), cookie.name, cookie.options.secure);
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
  const found = await realmFor(slug);
  if (!found) return { kind: "not_found" };
  const { gh, realm } = found;
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
