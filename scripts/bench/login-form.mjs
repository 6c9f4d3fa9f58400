// The hosted login form as a browser without JavaScript sends it: the hidden fields of the page
// (Next's server-action reference, the entry, the CSRF token), the credentials, multipart-encoded,
// with the cookies the page set. Shared by the load generator and the bench's own one-off logins.

const ENTITIES = { amp: "&", quot: '"', apos: "'", lt: "<", gt: ">", "#39": "'", "#x27": "'" };
const decode = (text) => text.replace(/&(amp|quot|apos|lt|gt|#39|#x27);/g, (_, e) => ENTITIES[e]);

/** `[[name, value], …]` of the `<input type="hidden">` fields of the first form, in page order. */
export function hiddenFields(html) {
  const fields = [];
  for (const match of html.matchAll(/<input\b[^>]*>/g)) {
    const tag = match[0];
    if (!/\btype="hidden"/.test(tag)) continue;
    const name = /\bname="([^"]*)"/.exec(tag)?.[1];
    if (name === undefined) continue;
    fields.push([decode(name), decode(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? "")]);
  }
  return fields;
}

/** The `name=value` pairs of Set-Cookie headers (attributes dropped), for a Cookie header. */
export function cookiePairs(setCookie) {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list.map((c) => c.split(";")[0].trim()).filter(Boolean);
}

/** Merges cookie pairs: a later value of a name replaces the earlier one. */
export function mergeCookies(...lists) {
  const jar = new Map();
  for (const pair of lists.flat()) jar.set(pair.slice(0, pair.indexOf("=")), pair);
  return [...jar.values()].join("; ");
}

/** A multipart/form-data body of string fields. */
export function multipart(fields, boundary = `----bench${Math.random().toString(16).slice(2)}`) {
  const parts = fields.map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/"/g, "%22")}"\r\n\r\n${value}\r\n`,
  );
  return {
    body: `${parts.join("")}--${boundary}--\r\n`,
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/**
 * What a login POST answered: a token back to the app, a busy answer (the 503 page of
 * scripts/shed-busy-logins.mjs, or the form's own message when the action refused it), or else.
 */
export function loginOutcome(status, location, body) {
  if (status === 303 && location && /[?&]token=/.test(location)) return "ok";
  if (status === 503 || (status === 200 && /signing in right now/.test(body ?? ""))) return "busy";
  return "failed";
}

/**
 * One login through the form with fetch (GET the page, POST the form, no redirect followed):
 * the outcome and the cookies a browser would then hold (the portal session among them).
 */
export async function logInOnce({ origin, loginPath, email, password }) {
  const page = await fetch(`${origin}${loginPath}`, { redirect: "manual" });
  const html = await page.text();
  const cookies = cookiePairs(page.headers.getSetCookie());
  const form = multipart([...hiddenFields(html), ["email", email], ["password", password]]);
  const res = await fetch(`${origin}${loginPath}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": form.contentType, cookie: mergeCookies(cookies), origin },
    body: form.body,
  });
  const body = res.status === 303 ? "" : await res.text();
  return {
    outcome: loginOutcome(res.status, res.headers.get("location"), body),
    status: res.status,
    location: res.headers.get("location"),
    cookie: mergeCookies(cookies, cookiePairs(res.headers.getSetCookie())),
  };
}
