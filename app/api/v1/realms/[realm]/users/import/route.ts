import { apiKeyRef, apiRoute, importResponse } from "@/lib/api";
import { requestContext } from "@/lib/http/request-context";

export const dynamic = "force-dynamic";

type Params = { realm: string };

/** Bulk import of users as JSON lines or CSV, answered row by row as a stream (docs/import.md). */
export const POST = apiRoute<Params>(async ({ gh, params, realm, principal, request }) => {
  const found = await realm(params.realm);
  const results = await gh.userImport.start(found, {
    contentType: request.headers.get("content-type"),
    contentLength: request.headers.get("content-length"),
    body: request.body,
    via: { key: apiKeyRef(principal) },
    context: requestContext(request.headers),
  });
  return importResponse(results);
});
