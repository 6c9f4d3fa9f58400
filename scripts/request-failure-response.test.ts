import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import {
  REQUEST_ID_HEADER as APP_HEADER,
  failureAnswer,
  reportRequestError,
  thrownInsideNext,
} from "@/lib/http/request-failure";
import { en } from "@/lib/i18n/messages/en";
// @ts-expect-error: plain ESM script without type declarations
import { answerReportedFailures, MESSAGES, REQUEST_ID_HEADER } from "./request-failure-response.mjs";

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

describe("the answer to a failure that is not a bug", () => {
  it("turns a page's 500 into a 503 with Retry-After and a page that needs no JavaScript", () => {
    const req = request("/acme/login");
    const res = fakeResponse();
    answerReportedFailures(req, res);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Set-Cookie", "gh_csrf=x");
    expect(reportRequestError(refused, req.headers)).toEqual({ status: 503, code: "service.unavailable" });
    res.statusCode = 500;
    res.write("<html>Next's error page</html>");
    res.end();
    expect(res.out.status).toBe(503);
    expect(res.out.headers).toMatchObject({ "retry-after": "5", "x-content-type-options": "nosniff" });
    expect(res.out.headers).not.toHaveProperty("set-cookie");
    expect(res.out.body).toContain(MESSAGES["service.unavailable"]);
    expect(res.out.body).not.toContain("Next's error page");
    expect(res.out.ended).toBe(true);
  });

  it("answers JSON to machine routes, also when Next calls writeHead itself", () => {
    const req = request("/acme/connect/jwks", "*/*");
    const res = fakeResponse();
    answerReportedFailures(req, res);
    reportRequestError(refused, req.headers);
    res.writeHead(500);
    res.end("");
    expect(res.out.status).toBe(503);
    expect(JSON.parse(res.out.body)).toEqual({
      error: { code: "service.unavailable", message: MESSAGES["service.unavailable"] },
    });
  });

  it("turns Next's 500 for a form post over its body limit into a 413 (found by the form fuzz)", () => {
    const req = { ...request("/acme/login"), method: "POST" };
    const res = fakeResponse();
    answerReportedFailures(req, res);
    const tooLarge = Object.assign(new Error("Body exceeded 64kb limit."), { statusCode: 413 });
    reportRequestError(tooLarge, req.headers);
    res.statusCode = 500;
    res.end("error page");
    expect(res.out.status).toBe(413);
    expect(res.out.headers).not.toHaveProperty("retry-after");
    expect(res.out.body).toContain(MESSAGES["request.too_large"]);
  });

  it("leaves a 500 alone when the error was something else, and other requests alone", () => {
    const req = request("/acme/login");
    const res = fakeResponse();
    answerReportedFailures(req, res);
    expect(reportRequestError(new Error("a bug"), req.headers)).toBeNull();
    const other = request("/acme/signup");
    answerReportedFailures(other, fakeResponse());
    reportRequestError(refused, other.headers);
    res.statusCode = 500;
    res.end("bug page");
    expect([res.out.status, res.out.body]).toEqual([500, "bug page"]);
  });

  it("overwrites a request id the client sent", () => {
    const req = request("/acme/login");
    req.headers[REQUEST_ID_HEADER] = "forged";
    answerReportedFailures(req, fakeResponse());
    expect(req.headers[REQUEST_ID_HEADER]).not.toBe("forged");
  });

  it("says what the API says, and names requests as the app does", () => {
    for (const [code, message] of Object.entries(MESSAGES))
      expect(message).toBe(en[`error.${code}` as keyof typeof en]);
    expect(REQUEST_ID_HEADER).toBe(APP_HEADER);
  });
});

describe("failureAnswer", () => {
  it("knows a database outage, Next's body limit, a multipart body that does not parse", () => {
    expect(failureAnswer(refused)?.status).toBe(503);
    expect(failureAnswer(Object.assign(new Error("Body exceeded"), { statusCode: 413 }))?.status).toBe(413);
    expect(failureAnswer(new TypeError("Failed to parse body as FormData."))?.status).toBe(400);
  });

  it("keeps everything else a 500: our own SyntaxError or TypeError is a bug", () => {
    expect(failureAnswer(new SyntaxError("Unexpected token"))).toBeNull();
    expect(failureAnswer(new TypeError("x is not a function"))).toBeNull();
    expect(failureAnswer("a string")).toBeNull();
  });
});

describe("thrownInsideNext", () => {
  const withStack = (error: Error, ...frames: string[]) =>
    Object.assign(error, { stack: [`${error.name}: ${error.message}`, ...frames].join("\n") });
  const next =
    "    at tY (/srv/node_modules/next/dist/compiled/next-server/app-page-turbo.runtime.prod.js:15:80738)";
  const app = "    at submitEntryForm (/srv/.next/server/chunks/ssr/lib_pages_entry-actions_ts.js:1:200)";

  it("is true for an error Next's runtime threw while decoding a post, native frames skipped", () => {
    expect(thrownInsideNext(withStack(new Error("Connection closed."), next, app))).toBe(true);
    expect(
      thrownInsideNext(
        withStack(new SyntaxError("Unexpected token"), "    at JSON.parse (<anonymous>)", next),
      ),
    ).toBe(true);
    expect(failureAnswer(withStack(new Error("Connection closed."), next), { method: "POST" })?.status).toBe(
      400,
    );
  });

  it("is false for an error thrown by the app's code, and never makes a GET a 400", () => {
    expect(thrownInsideNext(withStack(new TypeError("x is not a function"), app, next))).toBe(false);
    expect(failureAnswer(withStack(new Error("Connection closed."), next), { method: "GET" })).toBeNull();
  });
});
