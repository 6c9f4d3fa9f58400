// Load shedding in front of Next.js. When the portal already has as many password logins in
// progress as it admits (lib/passwords/admission.ts), a login form posted without JavaScript is
// answered here at once with a small 503 page: refusing must cost far less than the login it
// refuses, and a refusal rendered by Next (parse the form, run the action, render the page again)
// costs as much as showing the page. A form posted by JavaScript (it carries `next-action`) goes on
// to the action, which refuses it with the form's own message: Next's client cannot show a 503.
//
// The admission counts a login from the moment its action runs; a burst of posts is still being
// parsed by Next before that, and would all look admissible. So this layer also counts the posts it
// let through until their answers are sent, and holds them to the same bound.

const LOGIN_PATH = /^\/[a-z][a-z0-9-]{0,39}\/login(\?|$)/;
export const RETRY_AFTER_SECONDS = 5;

const escapeHtml = (text) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );

export function busyPage(loginUrl) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Try again in a few seconds</title></head>
<body><main>
<h1>Try again in a few seconds</h1>
<p>Too many people are signing in right now. Wait a few seconds and try again.</p>
<p><a href="${escapeHtml(loginUrl)}">Back to the login page</a></p>
</main></body></html>
`;
}

/**
 * `(req, res) => boolean`: answers a busy login POST with 503 and returns true; otherwise leaves the
 * request to Next.js (counting it while it is a login POST).
 */
export function createLoginShedder(admission = () => globalThis.__gatehouseLoginAdmission) {
  let passed = 0;
  return function shedBusyLogin(req, res) {
    const bound = admission();
    if (req.method !== "POST" || !bound || req.headers["next-action"]) return false;
    const url = req.url ?? "";
    if (!LOGIN_PATH.test(url)) return false;
    if (bound.full || passed >= bound.limit) {
      refuse(res, url);
      return true;
    }
    passed++;
    let answered = false;
    const done = () => {
      if (answered) return;
      answered = true;
      passed--;
    };
    res.once("finish", done);
    res.once("close", done);
    return false;
  };
}

function refuse(res, url) {
  res.writeHead(503, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "retry-after": String(RETRY_AFTER_SECONDS),
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
  });
  res.end(busyPage(url));
}
