import type { Actor } from "@/lib/account";
import type { ApiPrincipal } from "@/lib/api-keys";
import { requestContext } from "@/lib/http/request-context";

/** An API call as the actor of an event: which key, from where. */
export function apiActor(principal: ApiPrincipal, request: Request): Actor {
  return {
    via: "api",
    key: principal.kind === "realm" ? principal.keyId : "installation",
    context: requestContext(request.headers),
  };
}
