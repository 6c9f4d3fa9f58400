import { beforeAll } from "vitest";
import type { Services } from "@/lib/services";
import { testServices } from "@/test/db";

/** The bootstrap key of `testServices()`, as an Authorization header. */
export const ADMIN = "Bearer test-bootstrap-key-0123456789abcdef";

export type Handler = (
  request: Request,
  route: { params: Promise<Record<string, string>> },
) => Promise<Response>;

/** Calls a route handler the way Next.js would, and reads its JSON answer. */
export async function call(
  handler: Handler,
  init: {
    method?: string;
    path?: string;
    params?: Record<string, string>;
    body?: unknown;
    auth?: string | null;
    headers?: Record<string, string>;
  },
) {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.auth !== null) headers.authorization = init.auth ?? ADMIN;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
    headers["content-type"] ??= "application/json";
  }
  const request = new Request(`http://gatehouse.test${init.path ?? "/api/v1/x"}`, {
    method: init.method ?? "GET",
    headers,
    body,
  });
  const response = await handler(request, { params: Promise.resolve(init.params ?? {}) });
  const text = await response.text();
  // JSON lines (the bulk import) come back as an array of their objects.
  const lines = /ndjson/.test(response.headers.get("content-type") ?? "");
  if (!text) return { status: response.status, json: null };
  const json = lines
    ? text
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : JSON.parse(text);
  return { status: response.status, json };
}

/**
 * The route modules read the process-wide services; this hands them the test database's for the
 * calling file (or those `create` makes), and returns them.
 */
export function routesUseTestServices(
  create: () => Promise<Services> = testServices,
): () => Promise<Services> {
  const holder = globalThis as typeof globalThis & { __gatehouseServices?: Promise<Services> };
  beforeAll(async () => {
    holder.__gatehouseServices = create();
    await holder.__gatehouseServices;
  });
  return async () => {
    if (!holder.__gatehouseServices) throw new Error("services not installed yet");
    return holder.__gatehouseServices;
  };
}
