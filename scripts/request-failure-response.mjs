// Some failures are not bugs, yet Next.js answers them like one: a 500 and an error page that only
// renders with JavaScript. While PostgreSQL is down or restarting, every page, form action or
// route that needs it fails; and a form post Next cannot read at all (over the 64 KB action body
// limit, a broken multipart body, action arguments not in its client's encoding) fails inside Next
// before any of our code runs. That tells neither browsers nor load balancers nor monitoring the
// truth. So the app reports each such failure (instrumentation.ts `onRequestError` →
// lib/http/request-failure.ts), and here, in the node:http layer, that request's 5xx becomes a 503
// (with `Retry-After`), 413 or 400 with a small self-contained page (or JSON), whatever Next had
// started to write. The management API answers its own errors (lib/api/handler.ts).
import { randomUUID } from "node:crypto";

/** Set on every request (overwriting any client-sent value): how the app names a failed request. */
export const REQUEST_ID_HEADER = "x-gatehouse-request-id";
export const RETRY_AFTER_SECONDS = 5;

/** The same words as `error.<code>` in lib/i18n/messages/en.ts (a test checks). */
export const MESSAGES = {
  "service.unavailable":
    "The service is briefly unavailable (its database cannot be reached). Try again in a few seconds.",
  "request.too_large": "The request body is too large.",
  "request.malformed": "The request could not be read. Go back, reload the page and try again.",
};
const TITLES = {
  "service.unavailable": "Temporarily unavailable",
  "request.too_large": "Request too large",
  "request.malformed": "Request not understood",
};

/** Request id → the answer the app asked for; an entry lives until its response is closed. */
const failures = new Map();
globalThis.__gatehouseFailedRequest = (id, answer) => {
  if (typeof id === "string" && answer && MESSAGES[answer.code]) failures.set(id, answer);
};

// Kept from what Next had set: the security headers every response carries.
const KEEP = new Set([
  "x-content-type-options",
  "x-frame-options",
  "referrer-policy",
  "cross-origin-opener-policy",
  "permissions-policy",
  "strict-transport-security",
]);

/** JSON for the machine-facing routes and for clients that ask for it; a page for browsers. */
export function failureBody(code, url, accept) {
  const message = MESSAGES[code];
  const wantsJson =
    /^\/(api\/|[^/?]+\/connect\/)/.test(url ?? "") ||
    (/application\/json/.test(accept ?? "") && !/text\/html/.test(accept ?? ""));
  if (wantsJson) return { type: "application/json", body: JSON.stringify({ error: { code, message } }) };
  return {
    type: "text/html; charset=utf-8",
    body: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${TITLES[code]}</title></head>
<body><main><h1>${TITLES[code]}</h1><p role="alert">${message}</p></main></body></html>
`,
  };
}

/** Tags the request, and turns its 5xx into the answer the app reported for it, if any. */
export function answerReportedFailures(req, res) {
  const id = randomUUID();
  req.headers[REQUEST_ID_HEADER] = id;
  res.once("close", () => failures.delete(id));
  const { writeHead, write, end } = res;
  let body = null;
  // Decided when the status goes out, by whichever call sends it (Next may call writeHead, or set
  // statusCode and write or end): from then on what Next writes (its error page) is dropped.
  const replaceIf = (res, status) => {
    if (body !== null) return true;
    const answer = failures.get(id);
    if (res.headersSent || status < 500 || !answer) return false;
    for (const name of res.getHeaderNames()) if (!KEEP.has(name)) res.removeHeader(name);
    const page = failureBody(answer.code, req.url, req.headers.accept);
    writeHead.call(res, answer.status, {
      "content-type": page.type,
      "content-length": Buffer.byteLength(page.body),
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
      ...(answer.status === 503 ? { "retry-after": String(RETRY_AFTER_SECONDS) } : {}),
      // The body of a refused post may not have been read: the connection cannot be reused.
      ...(answer.status === 503 ? {} : { connection: "close" }),
    });
    body = page.body;
    return true;
  };
  res.writeHead = function (status, ...rest) {
    return replaceIf(this, status) ? this : writeHead.call(this, status, ...rest);
  };
  res.write = function (chunk, encoding, callback) {
    if (!replaceIf(this, this.statusCode)) return write.call(this, chunk, encoding, callback);
    (typeof encoding === "function" ? encoding : callback)?.();
    return true;
  };
  res.end = function (...args) {
    if (!replaceIf(this, this.statusCode)) return end.apply(this, args);
    if (this.writableEnded) return this;
    return end.call(
      this,
      req.method === "HEAD" ? undefined : body,
      args.find((a) => typeof a === "function"),
    );
  };
}
