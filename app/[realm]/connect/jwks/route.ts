import { errorResponse } from "@/lib/api";
import { AppError } from "@/lib/errors";
import { services } from "@/lib/services";

export const dynamic = "force-dynamic";

/** Public keys for login tokens. Cacheable briefly: a rotation publishes the new key before use. */
export async function GET(_request: Request, { params }: { params: Promise<{ realm: string }> }) {
  const { realm: slug } = await params;
  const gh = await services();
  const realm = await gh.realms.find(slug);
  if (!realm || realm.slug !== slug) {
    return errorResponse(new AppError("realm.not_found"), "");
  }
  return Response.json(await gh.keys.jwks(realm.id), {
    headers: { "cache-control": "public, max-age=300", "access-control-allow-origin": "*" },
  });
}
