import { beforeAll } from "vitest";
import type { Services } from "@/lib/services";
import { testServices } from "@/test/db";

/**
 * Calls management API route handlers in-process, as Next.js would, with the bootstrap key unless
 * told otherwise. `provideApiServices()` hands the route modules this test file's database.
 */
export const ADMIN = "Bearer test-bootstrap-key-0123456789abcdef";

export type Handler = (
  request: Request,
  route: { params: Promise<Record<string, string>> },
) => Promise<Response>;

const holder = globalThis as typeof globalThis & { __gatehouseServices?: Promise<Services> };

export function provideApiServices(): () => Promise<Services> {
  beforeAll(async () => {
    holder.__gatehouseServices = testServices();
    await holder.__gatehouseServices;
  });
  return () => {
    if (!holder.__gatehouseServices) throw new Error("provideApiServices() runs in beforeAll");
    return holder.__gatehouseServices;
  };
}

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
  return { status: response.status, json: text ? JSON.parse(text) : null };
}
