import { describe, expect, it } from "vitest";
import { createAdmission } from "@/lib/passwords";
// @ts-expect-error: plain ESM script without type declarations
import { busyPage, shedBusyLogin } from "./shed-busy-logins.mjs";

function fakeResponse() {
  const sent: { status?: number; headers?: Record<string, string>; body?: string } = {};
  return {
    sent,
    writeHead(status: number, headers: Record<string, string>) {
      sent.status = status;
      sent.headers = headers;
      return this;
    },
    end(body: string) {
      sent.body = body;
    },
  };
}

/** An admission with every place taken. */
function fullAdmission() {
  const admission = createAdmission(1);
  void admission.run(() => new Promise(() => {}));
  return admission;
}

const request = (method: string, url: string, headers: Record<string, string> = {}) => ({
  method,
  url,
  headers,
});

describe("shedding busy logins before Next.js", () => {
  it("answers a form POST to a realm's login with 503, Retry-After and a page back to the form", () => {
    const res = fakeResponse();
    const url = "/acme/login?client_id=app_1&redirect_uri=https%3A%2F%2Fapp.example%2Fcb";
    expect(shedBusyLogin(request("POST", url), res, fullAdmission())).toBe(true);
    expect(res.sent.status).toBe(503);
    expect(res.sent.headers?.["retry-after"]).toBe("5");
    expect(res.sent.headers?.["cache-control"]).toBe("no-store");
    expect(res.sent.body).toContain("Too many people are signing in right now.");
    expect(res.sent.body).toContain(
      'href="/acme/login?client_id=app_1&amp;redirect_uri=https%3A%2F%2Fapp.example%2Fcb"',
    );
  });

  it.each([
    ["there is room", "POST", "/acme/login", {}, createAdmission(1)],
    [
      "no admission exists yet (before the first request opened the services)",
      "POST",
      "/acme/login",
      {},
      undefined,
    ],
    ["a GET of the page", "GET", "/acme/login", {}, fullAdmission()],
    [
      "a form posted by JavaScript (the action answers it)",
      "POST",
      "/acme/login",
      { "next-action": "7f00" },
      fullAdmission(),
    ],
    ["another page", "POST", "/acme/signup", {}, fullAdmission()],
    ["a login step", "POST", "/acme/login/verify", {}, fullAdmission()],
    ["the API", "POST", "/api/v1/realms/acme/users", {}, fullAdmission()],
  ])("leaves the request to Next.js when %s", (_label, method, url, headers, admission) => {
    const res = fakeResponse();
    expect(shedBusyLogin(request(method, url, headers), res, admission)).toBe(false);
    expect(res.sent.status).toBeUndefined();
  });

  it("escapes the address it links back to", () => {
    expect(busyPage('/acme/login?state="><script>')).not.toContain("<script>");
  });
});
