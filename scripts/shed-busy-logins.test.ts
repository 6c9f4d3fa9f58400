import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { type Admission, createAdmission } from "@/lib/passwords";
// @ts-expect-error: plain ESM script without type declarations
import { busyPage, createLoginShedder } from "./shed-busy-logins.mjs";

class FakeResponse extends EventEmitter {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  writeHead(status: number, headers: Record<string, string>) {
    this.status = status;
    this.headers = headers;
    return this;
  }
  end(body: string) {
    this.body = body;
  }
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
const shedder = (admission: Admission | undefined) => createLoginShedder(() => admission);

describe("shedding busy logins before Next.js", () => {
  it("answers a form POST to a realm's login with 503, Retry-After and a page back to the form", () => {
    const res = new FakeResponse();
    const url = "/acme/login?client_id=app_1&redirect_uri=https%3A%2F%2Fapp.example%2Fcb";
    expect(shedder(fullAdmission())(request("POST", url), res)).toBe(true);
    expect(res.status).toBe(503);
    expect(res.headers?.["retry-after"]).toBe("5");
    expect(res.headers?.["cache-control"]).toBe("no-store");
    expect(res.body).toContain("Too many people are signing in right now.");
    expect(res.body).toContain(
      'href="/acme/login?client_id=app_1&amp;redirect_uri=https%3A%2F%2Fapp.example%2Fcb"',
    );
  });

  // Regression: a burst of 64 posts all passed while Next was still parsing them (the admission
  // counts from the action on), and 54 were refused by the action after seconds of rendering.
  it("holds the posts it let through to the admission's bound until they are answered", () => {
    const shed = shedder(createAdmission(2));
    const responses = Array.from({ length: 3 }, () => new FakeResponse());
    const outcomes = responses.map((res) => shed(request("POST", "/acme/login"), res));
    expect(outcomes).toEqual([false, false, true]);
    expect(responses[2]?.status).toBe(503);

    responses[0]?.emit("finish");
    responses[0]?.emit("close"); // both events of one answer free one place
    expect(shed(request("POST", "/acme/login"), new FakeResponse())).toBe(false);
    expect(shed(request("POST", "/acme/login"), new FakeResponse())).toBe(true);
    responses[1]?.emit("close"); // a client that went away frees its place too
    expect(shed(request("POST", "/acme/login"), new FakeResponse())).toBe(false);
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
    const res = new FakeResponse();
    expect(shedder(admission)(request(method, url, headers), res)).toBe(false);
    expect(res.status).toBeUndefined();
  });

  it("escapes the address it links back to", () => {
    expect(busyPage('/acme/login?state="><script>')).not.toContain("<script>");
  });
});
