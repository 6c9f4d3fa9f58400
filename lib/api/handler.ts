import { type ApiPrincipal, canAccessRealm } from "@/lib/api-keys";
import { newSecret } from "@/lib/crypto/secrets";
import { unavailableCause } from "@/lib/db/errors";
import { AppError, isAppError } from "@/lib/errors";
import { errorText, messagesFor } from "@/lib/i18n";
import { pageQuerySchema } from "@/lib/pagination";
import type { Realm } from "@/lib/realms";
import { type Services, services } from "@/lib/services";
import { readJsonBody } from "./json-body";

export interface ApiContext<P> {
  request: Request;
  params: P;
  gh: Services;
  principal: ApiPrincipal;
  json(): Promise<unknown>;
  /** The JSON body, or `{}` when the request has none (an optional body: a bare POST is fine). */
  optionalJson(): Promise<unknown>;
  page(): ReturnType<typeof pageQuerySchema.parse>;
  /** The realm named in the path, if this key may see it; otherwise 404 (no existence leak). */
  realm(ref: string): Promise<Realm>;
}

const messages = messagesFor("en");

function messageFor(code: string, params?: Record<string, string | number>): string {
  return errorText(messages, code, params);
}

/** The `error` object of the API's error shape: code, message and, when any, fields. */
export function errorBody(error: AppError): Record<string, unknown> {
  const body: Record<string, unknown> = { code: error.code, message: messageFor(error.code, error.params) };
  if (error.fields.length) {
    body.fields = error.fields.map((f) => ({
      field: f.field,
      code: f.code,
      message: messageFor(f.code, { ...f.params, field: f.field }),
      // The numbers in the message (`min`, `max`), for clients that word it themselves.
      ...(f.params && Object.keys(f.params).length > 0 ? { params: f.params } : {}),
    }));
  }
  return body;
}

/** Seconds a client is told to wait (`Retry-After`) while the database cannot be reached. */
export const RETRY_AFTER_SECONDS = 5;

export function errorResponse(error: unknown, requestId: string): Response {
  if (isAppError(error)) {
    return Response.json(
      { error: errorBody(error) },
      { status: error.status, headers: { "cache-control": "no-store" } },
    );
  }
  // The database is down or restarting: nothing is wrong with the request, and it may work in a
  // moment. One line in the log, not the failed query with its parameters.
  const unavailable = unavailableCause(error);
  if (unavailable) {
    console.error(`[api] request ${requestId}: the database cannot be reached (503): ${unavailable}`);
    return Response.json(
      { error: errorBody(new AppError("service.unavailable")) },
      { status: 503, headers: { "cache-control": "no-store", "retry-after": String(RETRY_AFTER_SECONDS) } },
    );
  }
  console.error(`[api] request ${requestId} failed`, error);
  return Response.json(
    { error: { code: "internal", message: messageFor("internal"), request_id: requestId } },
    { status: 500, headers: { "cache-control": "no-store" } },
  );
}

/**
 * PostgreSQL text cannot hold a NUL character, so a path parameter with one names no realm, user
 * or template; asking the database anyway fails the query (a 500). Found by test/api-fuzz.db.test.ts.
 */
export function pathParamsCanNameRows(params: unknown): boolean {
  if (!params || typeof params !== "object") return true;
  return Object.values(params).every((value) =>
    (Array.isArray(value) ? value : [value]).every((v) => typeof v !== "string" || !v.includes("\u0000")),
  );
}

/**
 * Every management API route goes through here: API key, JSON in and out, one error shape
 * (STYLE: Dub's `withWorkspace`). The handler returns a plain object (200) or a Response.
 */
export function apiRoute<P>(
  handler: (ctx: ApiContext<P>) => Promise<unknown>,
  options: {
    status?: number;
    /** Body limit of `json()` when not MAX_JSON_BYTES. */
    maxBodyBytes?: number;
  } = {},
) {
  return async (request: Request, route: { params: Promise<P> }): Promise<Response> => {
    const requestId = newSecret(9);
    try {
      const gh = await services();
      const principal = await gh.apiKeys.authenticate(request.headers.get("authorization"));
      const url = new URL(request.url);
      const params = await route.params;
      if (!pathParamsCanNameRows(params)) throw new AppError("resource.not_found");
      const ctx: ApiContext<P> = {
        request,
        params,
        gh,
        principal,
        json: () => readJsonBody(request, options.maxBodyBytes),
        optionalJson: async () =>
          request.headers.get("content-length") === "0" || !request.body
            ? {}
            : readJsonBody(request, options.maxBodyBytes),
        page: () => {
          const parsed = pageQuerySchema.safeParse(Object.fromEntries(url.searchParams));
          if (!parsed.success) throw new AppError("request.invalid_query");
          return parsed.data;
        },
        async realm(ref) {
          const realm = await gh.realms.find(ref);
          if (!realm || !canAccessRealm(principal, realm.id)) throw new AppError("realm.not_found");
          return realm;
        },
      };
      const result = await handler(ctx);
      if (result instanceof Response) return result;
      return Response.json(result, {
        status: options.status ?? 200,
        headers: { "cache-control": "no-store" },
      });
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}

export function requireInstallationKey(principal: ApiPrincipal): void {
  if (principal.kind !== "installation") throw new AppError("auth.forbidden");
}
