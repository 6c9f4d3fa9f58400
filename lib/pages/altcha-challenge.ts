import "server-only";
import { errorResponse } from "@/lib/api";
import { AppError } from "@/lib/errors";
import { services } from "@/lib/services";
import { findHostedRealm } from "./hosted-realm";

/**
 * `GET /{realm}/connect/altcha`: a fresh proof-of-work challenge for the widget, or 404 when the
 * realm is unknown or has ALTCHA off. Never cached: every challenge is single use.
 */
export async function altchaChallengeResponse(slug: unknown): Promise<Response> {
  const realm = await findHostedRealm(slug);
  if (!realm) return errorResponse(new AppError("realm.not_found"), "");
  const gh = await services();
  if (!gh.altcha.enabled(realm.settings)) return errorResponse(new AppError("resource.not_found"), "");
  return Response.json(await gh.altcha.challenge(realm.id), { headers: { "cache-control": "no-store" } });
}
