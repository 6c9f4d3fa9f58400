import type { Actor } from "@/lib/account";
import type { ApiPrincipal } from "@/lib/api-keys";
import { requestContext } from "@/lib/http/request-context";

/** Which key made an API call, as events record it: the realm key's id, or `installation`. */
export function apiKeyRef(principal: ApiPrincipal): string {
  return principal.kind === "realm" ? principal.keyId : "installation";
}

/** An API call as the actor of an event: which key, from where. */
export function apiActor(principal: ApiPrincipal, request: Request): Actor {
  return {
    via: "api",
    key: apiKeyRef(principal),
    context: requestContext(request.headers),
  };
}
