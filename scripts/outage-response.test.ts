import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { REQUEST_ID_HEADER as APP_HEADER, reportRequestError } from "@/lib/http/unavailable";
import { en } from "@/lib/i18n/messages/en";
// @ts-expect-error: plain ESM script without type declarations
import { answerUnavailableOnOutage, REQUEST_ID_HEADER, UNAVAILABLE_MESSAGE } from "./outage-response.mjs";

/** Just enough of a node:http response to see what goes out. */
function fakeResponse() {
  const out = { status: 0, headers: {} as Record<string, unknown>, body: "", ended: false };
  const set = new Map<string, unknown>();
  const res = Object.assign(new EventEmitter(), {
    out,
    statusCode: 200,
    headersSent: false,
    writableEnded: false,
    setHeader: (name: string, value: unknown) => set.set(name.toLowerCase(), value),
    getHeaderNames: () => [...set.keys()],
    removeHeader: (name: string) => set.delete(name),
    writeHead(status: number, headers: Record<string, unknown> = {}) {
      out.status = status;
      out.headers = { ...Object.fromEntries(set), ...headers };
      this.headersSent = true;
      return this;
    },
    write(chunk: string) {
      if (!this.headersSent) this.writeHead(this.statusCode);
      out.body += chunk;
      return true;
    },
    end(chunk?: string) {
      if (!this.headersSent) this.writeHead(this.statusCode);
      if (chunk) out.body += chunk;
      out.ended = true;
      this.writableEnded = true;
      return this;
    },
  });
  return res;
}

function request(url: string, accept = "text/html") {
  return { url, method: "GET", headers: { accept } as Record<string, string> };
}

const refused = Object.assign(new Error("Failed query"), { cause: { code: "ECONNREFUSED" } });

describe("503 when the database cannot be reached", () => {
  it("turns a page's 500 into a 503 with Retry-After and a page that needs no JavaScript", () => {
    const req = request("/acme/login");
    const res = fakeResponse();
    answerUnavailableOnOutage(req, res);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Set-Cookie", "gh_csrf=x");
    expect(reportRequestError(refused, req.headers)).toBe(true);
    res.statusCode = 500;
    res.write("<html>Next's error page</html>");
    res.end();
    expect(res.out.status).toBe(503);
    expect(res.out.headers).toMatchObject({ "retry-after": "5", "x-content-type-options": "nosniff" });
    expect(res.out.headers).not.toHaveProperty("set-cookie");
    expect(res.out.body).toContain(UNAVAILABLE_MESSAGE);
    expect(res.out.body).not.toContain("Next's error page");
    expect(res.out.ended).toBe(true);
  });

  it("answers JSON to machine routes, also when Next calls writeHead itself", () => {
    const req = request("/acme/connect/jwks", "*/*");
    const res = fakeResponse();
    answerUnavailableOnOutage(req, res);
    reportRequestError(refused, req.headers);
    res.writeHead(500);
    res.end("");
    expect(res.out.status).toBe(503);
    expect(JSON.parse(res.out.body)).toEqual({
      error: { code: "service.unavailable", message: UNAVAILABLE_MESSAGE },
    });
  });

  it("leaves a 500 alone when the error was something else, and other requests alone", () => {
    const req = request("/acme/login");
    const res = fakeResponse();
    answerUnavailableOnOutage(req, res);
    expect(reportRequestError(new Error("a bug"), req.headers)).toBe(false);
    const other = request("/acme/signup");
    answerUnavailableOnOutage(other, fakeResponse());
    reportRequestError(refused, other.headers);
    res.statusCode = 500;
    res.end("bug page");
    expect([res.out.status, res.out.body]).toEqual([500, "bug page"]);
  });

  it("overwrites a request id the client sent", () => {
    const req = request("/acme/login");
    req.headers[REQUEST_ID_HEADER] = "forged";
    answerUnavailableOnOutage(req, fakeResponse());
    expect(req.headers[REQUEST_ID_HEADER]).not.toBe("forged");
  });

  it("says what the API says, and names requests as the app does", () => {
    expect(UNAVAILABLE_MESSAGE).toBe(en["error.service.unavailable"]);
    expect(REQUEST_ID_HEADER).toBe(APP_HEADER);
  });
});
