/**
 * A browser without JavaScript, over real HTTP: a cookie jar, forms read from the served HTML and
 * posted back as the browser would (multipart, with every hidden field, Next's action fields
 * included), redirects not followed so that each answer can be looked at.
 */

export interface Answer {
  status: number;
  location: string | null;
  text: string;
  headers: Headers;
  /** Milliseconds from sending to the whole body. */
  ms: number;
}

export interface Form {
  fields: Record<string, string>;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, code: string) => {
    if (code[0] === "#")
      return String.fromCodePoint(
        code[1] === "x" || code[1] === "X" ? parseInt(code.slice(2), 16) : Number(code.slice(1)),
      );
    return ENTITIES[code.toLowerCase()] ?? whole;
  });
}

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}=(?:"([^"]*)"|'([^']*)')`, "i").exec(tag);
  return match ? decodeEntities(match[1] ?? match[2] ?? "") : null;
}

/** The fields of the form with this `data-slot` (or the first form): inputs, textareas, named buttons' first value. */
export function readForm(html: string, slot?: string): Form | null {
  const forms = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)].map((m) => m[0]);
  const form = slot ? forms.find((f) => new RegExp(`^<form\\b[^>]*data-slot="${slot}"`).test(f)) : forms[0];
  if (!form) return null;
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(tag, "name");
    const type = (attribute(tag, "type") ?? "text").toLowerCase();
    if (!name || ((type === "checkbox" || type === "radio") && !/\schecked/i.test(tag))) continue;
    fields[name] = attribute(tag, "value") ?? "";
  }
  for (const m of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
    const name = attribute(m[0], "name");
    if (name) fields[name] = decodeEntities(m[2] ?? "");
  }
  return { fields };
}

/** Every form's `data-slot` on the page, in order (what a page offers to post). */
export function formSlots(html: string): string[] {
  return [...html.matchAll(/<form\b[^>]*data-slot="([^"]+)"/gi)].map((m) => m[1] as string);
}

export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(public base: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keep(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = value === "" || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<Answer> {
    const started = performance.now();
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", this.cookieHeader());
    const res = await fetch(new URL(path, this.base), { ...init, headers, redirect: "manual" });
    this.keep(res.headers);
    const text = await res.text();
    return {
      status: res.status,
      location: res.headers.get("location"),
      text,
      headers: res.headers,
      ms: performance.now() - started,
    };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request(path, { headers });
  }

  /** Posts a form back to the page it came from, as a browser without JavaScript does. */
  post(path: string, fields: Record<string, string | Blob>, headers: Record<string, string> = {}) {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    return this.request(path, { method: "POST", body, headers: { origin: this.base, ...headers } });
  }

  /** GET a page, fill its form (by `data-slot`), post it. */
  async submit(path: string, slot: string, values: Record<string, string>): Promise<Answer> {
    const page = await this.get(path);
    const form = readForm(page.text, slot);
    if (!form)
      throw new Error(`no form "${slot}" at ${path} (status ${page.status}): ${page.text.slice(0, 300)}`);
    return this.post(path, { ...form.fields, ...values });
  }
}

/** The claims of a login token, unverified (the tests only need `sid` and `sub`). */
export function tokenClaims(location: string): Record<string, unknown> {
  const token = new URL(location).searchParams.get("token");
  if (!token) throw new Error(`no token in ${location}`);
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
}
