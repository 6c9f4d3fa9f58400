// While PostgreSQL is down or restarting, a page, form action or route that needs it fails with
// whatever Next.js makes of a thrown error: a 500 and an error page that only renders with
// JavaScript. That tells neither browsers nor load balancers nor monitoring the truth: the request
// was fine, the service is briefly unavailable, try again. So the app reports each request that
// failed because the database could not be reached (instrumentation.ts `onRequestError` →
// lib/http/unavailable.ts), and here, in the node:http layer, that request's 5xx becomes a 503
// with `Retry-After` and a small self-contained page (or JSON), whatever Next had started to write.
// The management API answers its own 503 (lib/api/handler.ts) and never comes through here.
import { randomUUID } from "node:crypto";

/** Set on every request (overwriting any client-sent value): how the app names a failed request. */
export const REQUEST_ID_HEADER = "x-gatehouse-request-id";
export const RETRY_AFTER_SECONDS = 5;
/** The same words as `error.service.unavailable` in lib/i18n/messages/en.ts (a test checks). */
export const UNAVAILABLE_MESSAGE =
  "The service is briefly unavailable (its database cannot be reached). Try again in a few seconds.";

/** Request ids whose failure was the database; an entry lives until its response is closed. */
const outages = new Set();
globalThis.__gatehouseDatabaseUnavailable = (id) => {
  if (typeof id === "string") outages.add(id);
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

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Temporarily unavailable</title></head>
<body><main><h1>Temporarily unavailable</h1><p role="alert">${UNAVAILABLE_MESSAGE}</p></main></body></html>
`;

/** JSON for the machine-facing routes and for clients that ask for it; a page for browsers. */
export function unavailableBody(url, accept) {
  const wantsJson =
    /^\/(api\/|[^/?]+\/connect\/)/.test(url ?? "") ||
    (/application\/json/.test(accept ?? "") && !/text\/html/.test(accept ?? ""));
  return wantsJson
    ? {
        type: "application/json",
        body: JSON.stringify({ error: { code: "service.unavailable", message: UNAVAILABLE_MESSAGE } }),
      }
    : { type: "text/html; charset=utf-8", body: PAGE };
}

/** Tags the request, and turns its 5xx into the 503 above if the app reported a database outage. */
export function answerUnavailableOnOutage(req, res) {
  const id = randomUUID();
  req.headers[REQUEST_ID_HEADER] = id;
  res.once("close", () => outages.delete(id));
  const { writeHead, write, end } = res;
  const { type, body } = unavailableBody(req.url, req.headers.accept);
  let replaced = false;
  // Decided when the status goes out, by whichever call sends it (Next may call writeHead, or set
  // statusCode and write or end): from then on what Next writes (its error page) is dropped.
  const replaceIf = (res, status) => {
    if (replaced || res.headersSent || status < 500 || !outages.has(id)) return replaced;
    for (const name of res.getHeaderNames()) if (!KEEP.has(name)) res.removeHeader(name);
    writeHead.call(res, 503, {
      "content-type": type,
      "content-length": Buffer.byteLength(body),
      "cache-control": "no-store",
      "retry-after": String(RETRY_AFTER_SECONDS),
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    });
    replaced = true;
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
