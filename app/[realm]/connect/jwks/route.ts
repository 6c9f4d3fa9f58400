import { errorResponse } from "@/lib/api";
import { AppError } from "@/lib/errors";
import { findHostedRealm } from "@/lib/pages/hosted-realm";
import { services } from "@/lib/services";

export const dynamic = "force-dynamic";

/** Public keys for login tokens. Cacheable briefly: a rotation publishes the new key before use. */
export async function GET(_request: Request, { params }: { params: Promise<{ realm: string }> }) {
  const realm = await findHostedRealm((await params).realm);
  if (!realm) return errorResponse(new AppError("realm.not_found"), "");
  return Response.json(await (await services()).keys.jwks(realm.id), {
    headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" },
  });
}
