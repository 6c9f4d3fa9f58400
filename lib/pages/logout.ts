import "server-only";
import { sessionCookie } from "@/lib/http/cookies";
import { requestContext } from "@/lib/http/request-context";
import { services } from "@/lib/services";

/**
 * `/logout`: ends the session server-side (the cookie is then worthless even if replayed), clears
 * the cookie and sends the browser to a registered URI of the realm, or to its login page.
 */
export async function handleLogout(
  request: Request,
  slug: string,
  params: Record<string, unknown>,
): Promise<Response> {
  const gh = await services();
  const realm = await gh.realms.find(slug);
  if (!realm || realm.slug !== slug) return new Response("Not found", { status: 404 });
  const cookie = sessionCookie(realm.id, gh.publicUrl);
  const secret = readCookie(request.headers.get("cookie"), cookie.name);
  const target = await gh.flows.logout(realm, secret, params, requestContext(request.headers));
  const expired = serializeCookie(cookie.name, "", { ...cookie.options, maxAge: 0 });
  return new Response(null, {
    status: 303,
    headers: {
      location: target,
      "set-cookie": expired,
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
    },
  });
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

function serializeCookie(
  name: string,
  value: string,
  o: { httpOnly: boolean; secure: boolean; sameSite: string; path: string; maxAge?: number },
): string {
  const parts = [
    `${name}=${value}`,
    `Path=${o.path}`,
    `SameSite=${o.sameSite[0]?.toUpperCase()}${o.sameSite.slice(1)}`,
  ];
  if (o.httpOnly) parts.push("HttpOnly");
  if (o.secure) parts.push("Secure");
  if (o.maxAge !== undefined) parts.push(`Max-Age=${o.maxAge}`);
  return parts.join("; ");
}
