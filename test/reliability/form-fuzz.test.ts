import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adversarialString, FIELD_NAMES } from "@/test/fuzz/adversarial";
import { type AdminApi, adminApi, CALLBACK, PASSWORD } from "./support/admin";
import { Browser, readForm } from "./support/browser";
import { type Portal, startPortal } from "./support/portal";
import { PORTS } from "./support/ports";
import { createDatabase, sqlClient } from "./support/postgres";

/**
 * Bad-input fuzzing of every hosted form action, over HTTP against the production build. The
 * actions are read from the build's server-reference manifest, so a new form action is fuzzed
 * without anyone listing it. Each run posts to an action the way a browser without JavaScript
 * does (multipart, Next's action fields, the CSRF field) or the way Next's client does (the
 * `Next-Action` header), with adversarial fields (NUL bytes, lone surrogates, 70 KB, files where
 * text is expected), tampered bound arguments, the wrong content type, or a malformed body; as a
 * visitor, a signed-in user, or a user in the middle of a login. Properties: never a 5xx, and no
 * row of any table changes, except the two a refused attempt is meant to write: its attempt
 * counters (`throttles`) and the audit trail (`events`).
 */
const root = path.resolve(import.meta.dirname, "../..");
const RUNS = Number(process.env.FUZZ_RUNS) || 12;
/** Written by refused attempts on purpose (throttle counters, audit events); every other table must not change. */
const BOOKKEEPING = ["throttles", "events"];

interface Action {
  id: string;
  name: string;
  file: string;
  /** The page that hosts it, as a path under a realm: `login`, `profile`, … */
  page: string;
}

function actionsOfBuild(): Action[] {
  const manifest = JSON.parse(
    readFileSync(path.join(root, ".next/server/server-reference-manifest.json"), "utf8"),
  );
  return Object.entries(
    manifest.node as Record<string, { workers: object; filename: string; exportedName: string }>,
  ).map(([id, entry]) => {
    const worker = Object.keys(entry.workers)[0] ?? "";
    return {
      id,
      name: entry.exportedName,
      file: entry.filename,
      page: worker.replace(/^app\/\[realm\]\/?/, "").replace(/\/?page$/, ""),
    };
  });
}

function actionFilesOnDisk(dir = path.join(root, "app")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return actionFilesOnDisk(full);
    return entry.name === "actions.ts" ? [path.relative(root, full)] : [];
  });
}

const actions = actionsOfBuild();

/** Every hosted page and route under app/[realm] (path below the realm, and whether it is a route). */
function hostedPaths(dir = path.join(root, "app/[realm]"), prefix = ""): { path: string; route: boolean }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return hostedPaths(path.join(dir, entry.name), `${prefix}/${entry.name}`);
    if (entry.name === "page.tsx") return [{ path: prefix, route: false }];
    return entry.name === "route.ts" ? [{ path: prefix, route: true }] : [];
  });
}

let db: Awaited<ReturnType<typeof createDatabase>>;
let sql: ReturnType<typeof sqlClient>;
let portal: Portal;
let api: AdminApi;
/** Browsers in the states an action may meet: a visitor, a signed-in user, a login waiting on a step. */
const contexts: { name: string; browser: Browser; slug: string; csrf: string }[] = [];

beforeAll(async () => {
  db = await createDatabase("fuzz");
  sql = sqlClient(db.url);
  portal = await startPortal({ port: PORTS.fuzz, databaseUrl: db.url });
  api = adminApi(portal.url);
  const realm = await api.realm();
  await api.user(realm.slug, "fuzz@example.com");
  const strict = await api.realm({ mfa_policy: "required" });
  await api.user(strict.slug, "fuzz@example.com");

  const visitor = new Browser(portal.url);
  const signedIn = new Browser(portal.url);
  const midLogin = new Browser(portal.url);
  const login = await signedIn.submit(realm.loginPath, "login-form", {
    email: "fuzz@example.com",
    password: PASSWORD,
  });
  expect(login.location?.startsWith(CALLBACK)).toBe(true);
  const step = await midLogin.submit(strict.loginPath, "login-form", {
    email: "fuzz@example.com",
    password: PASSWORD,
  });
  expect(step.location).toContain("/login/enrol-2fa");
  // The step's page, as the browser shows it after the redirect: its first view begins the
  // enrolment (a pending key for this flow); views after it show the same key and write nothing.
  expect((await midLogin.get(new URL(step.location as string, portal.url).pathname)).status).toBe(200);
  for (const [name, browser, slug, loginPath] of [
    ["visitor", visitor, realm.slug, realm.loginPath],
    ["signed in", signedIn, realm.slug, realm.loginPath],
    ["mid-login", midLogin, strict.slug, strict.loginPath],
  ] as const) {
    const page = await browser.get(name === "signed in" ? `/${slug}/profile` : loginPath);
    const csrf = readForm(page.text)?.fields.csrf_token ?? "";
    expect(csrf).toMatch(/^[\w-]{32}$/);
    contexts.push({ name, browser, slug, csrf });
  }
  await collectExamples();
});

/**
 * Each action's own form as the pages serve it (found by the action id in its hidden fields), in
 * the first context that shows it, its visible fields filled with plausible values: the fuzz then
 * breaks exactly one field, so that the broken value gets past every other check to the code that
 * stores or compares it. An action whose form no context shows is fuzzed with random fields only.
 */
const examples = new Map<string, { context: number; path: string; fields: Record<string, string> }>();
const PLAUSIBLE: Record<string, string> = {
  email: "someone.new@example.com",
  password: "another-harbor-lantern-77",
  current_password: PASSWORD,
  first_name: "Ada",
  last_name: "Lovelace",
  username: "ada",
  code: "123456",
  recovery_code: "abcd-efgh-ijkl",
};

async function collectExamples() {
  const pages = [...new Set(actions.map((a) => a.page))];
  for (const [index, context] of contexts.entries()) {
    for (const page of pages) {
      const path = `/${context.slug}${page ? `/${page}` : ""}`;
      const html = (await context.browser.get(path)).text;
      for (const [form] of html.matchAll(/<form\b[\s\S]*?<\/form>/gi)) {
        const fields = readForm(form)?.fields ?? {};
        const ref = Object.entries(fields).find(([k]) => /^\$ACTION_\d+:0$/.test(k))?.[1];
        const id = ref ? (JSON.parse(ref) as { id?: string }).id : undefined;
        if (!id || examples.has(id)) continue;
        for (const [name, value] of Object.entries(fields))
          if (value === "" && PLAUSIBLE[name]) fields[name] = PLAUSIBLE[name] as string;
        examples.set(id, { context: index, path, fields });
      }
    }
  }
}

afterAll(async () => {
  await portal?.kill();
  await sql?.end();
  await db?.drop();
});

/** Row count and checksum of every table but the bookkeeping ones (one query). */
/**
 * A row as compared, without `last_seen_at`: a signed-in request refreshes its session's last use
 * (once a minute, lib/sessions), which is bookkeeping like the throttle counters, not a change.
 */
const ROW = "(to_jsonb(x) - 'last_seen_at')::text";

async function snapshot(): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }[]>`select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`;
  const parts = tables
    .filter((t) => !BOOKKEEPING.includes(t.name))
    .map(
      (t) =>
        `select '${t.name}' as name, count(*) || ':' || coalesce(md5(string_agg(md5(${ROW}), ',' order by md5(${ROW}))), '') as sum from "${t.name}" x`,
    );
  const rows = await sql.unsafe<{ name: string; sum: string }[]>(parts.join(" union all "));
  return Object.fromEntries(rows.map((r) => [r.name, r.sum]));
}

type Value = string | { file: string };
/** One field of an action's own form broken in a way no field accepts: a NUL byte, or 70 KB. */
interface BrokenExample {
  field: number;
  at: number;
  poison: "nul" | "huge";
}

interface Post {
  example?: BrokenExample;
  context: number;
  slug: string;
  boundArgs: string;
  csrf: "valid" | "missing" | string;
  fields: [string, Value][];
  shape: "form" | "urlencoded" | "json" | "text" | "next-action" | "broken multipart";
}

const fieldValue: fc.Arbitrary<Value> = fc.oneof(
  { arbitrary: adversarialString, weight: 6 },
  {
    arbitrary: fc.constantFrom("fuzz@example.com", PASSWORD, "123456", "end_others", "begin", "confirm"),
    weight: 2,
  },
  // A file where text is expected.
  { arbitrary: adversarialString.map((s) => ({ file: s })), weight: 1 },
);

function posts(action: Action): fc.Arbitrary<Post> {
  const random = fc.record({
    context: fc.nat({ max: contexts.length - 1 }),
    slug: fc.oneof({ arbitrary: fc.constant(""), weight: 4 }, { arbitrary: adversarialString, weight: 1 }),
    boundArgs: fc.oneof(
      { arbitrary: fc.constant(""), weight: 4 },
      {
        arbitrary: fc.constantFrom(
          "[]",
          "[1,2]",
          "{",
          '"x"',
          "[null,null]",
          '[{"slug":1}]',
          '["$@1"]',
          '["$K1"]',
          '["$T"]',
        ),
        weight: 1,
      },
      { arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify([v, v])), weight: 1 },
    ),
    csrf: fc.oneof(
      { arbitrary: fc.constant("valid"), weight: 4 },
      { arbitrary: fc.constant("missing"), weight: 1 },
      { arbitrary: adversarialString, weight: 1 },
    ),
    fields: fc.array(
      fc.tuple(
        fc.oneof(
          { arbitrary: fc.constantFrom(...FIELD_NAMES), weight: 5 },
          { arbitrary: adversarialString, weight: 1 },
        ),
        fieldValue,
      ),
      { maxLength: 5 },
    ),
    shape: fc.oneof(
      { arbitrary: fc.constant("form" as const), weight: 6 },
      {
        arbitrary: fc.constantFrom("urlencoded", "json", "text", "next-action", "broken multipart" as const),
        weight: 3,
      },
    ),
  }) as fc.Arbitrary<Post>;
  if (!examples.has(action.id)) return random;
  const broken = fc
    .record({
      field: fc.nat(),
      at: fc.nat(),
      poison: fc.constantFrom("nul" as const, "nul" as const, "huge" as const),
    })
    .map(
      (example) =>
        ({ example, context: 0, slug: "", boundArgs: "", csrf: "valid", fields: [], shape: "form" }) as Post,
    );
  return fc.oneof(random, broken);
}

function sendBrokenExample(action: Action, broken: BrokenExample) {
  const example = examples.get(action.id) as NonNullable<ReturnType<typeof examples.get>>;
  const context = contexts[example.context] as (typeof contexts)[number];
  const names = Object.keys(example.fields).filter((k) => !k.startsWith("$ACTION"));
  const name = names[broken.field % names.length] as string;
  const value = example.fields[name] ?? "";
  const i = broken.at % (value.length + 1);
  const bad = broken.poison === "nul" ? `${value.slice(0, i)}\u0000${value.slice(i)}` : "x".repeat(70_000);
  return context.browser.post(example.path, { ...example.fields, [name]: bad });
}

async function send(action: Action, post: Post) {
  if (post.example) return sendBrokenExample(action, post.example);
  const context = contexts[post.context] as (typeof contexts)[number];
  const slug = post.slug === "" ? context.slug : post.slug;
  const pagePath = `/${context.slug}${action.page ? `/${action.page}` : ""}`;
  const fields: [string, Value][] = [
    ["$ACTION_REF_1", ""],
    ["$ACTION_1:0", JSON.stringify({ id: action.id, bound: "$@1" })],
    ["$ACTION_1:1", post.boundArgs === "" ? JSON.stringify([slug, { fieldErrors: {} }]) : post.boundArgs],
    ["$ACTION_KEY", "k0"],
    ...(post.csrf === "missing"
      ? []
      : [["csrf_token", post.csrf === "valid" ? context.csrf : post.csrf] as [string, Value]]),
    ...post.fields,
  ];
  const text = (v: Value) => (typeof v === "string" ? v : v.file);
  const headers: Record<string, string> = { origin: portal.url };
  let body: BodyInit;
  switch (post.shape) {
    case "form": {
      const form = new FormData();
      for (const [k, v] of fields) {
        if (typeof v === "string") form.append(k, v);
        else form.append(k, new Blob([v.file]), "x.txt");
      }
      body = form;
      break;
    }
    case "urlencoded":
      body = new URLSearchParams(fields.map(([k, v]) => [k, text(v)]));
      break;
    case "json":
      headers["content-type"] = "application/json";
      body = JSON.stringify(Object.fromEntries(fields.map(([k, v]) => [k, text(v)])));
      break;
    case "text":
      headers["content-type"] = "text/plain";
      body = fields.map(([k, v]) => `${k}=${text(v)}`).join("\n");
      break;
    case "next-action":
      // How Next's client calls an action: its id in a header, the arguments encoded in the body.
      headers["next-action"] = action.id;
      headers["content-type"] = "text/plain;charset=UTF-8";
      body = post.boundArgs || JSON.stringify([slug, { fieldErrors: {} }, Object.fromEntries(fields)]);
      break;
    default:
      headers["content-type"] = "multipart/form-data; boundary=not-the-one-used";
      body = `--other\r\nContent-Disposition: form-data; name="a"\r\n\r\n${text(fields[0]?.[1] ?? "")}\r\n`;
  }
  return context.browser.request(pagePath, { method: "POST", body, headers });
}

const percentEncode = (value: string) =>
  [...Buffer.from(value, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");

/** A query string of known parameter names (and some others) with adversarial values. */
const query = fc
  .array(
    fc.tuple(
      fc.oneof(
        {
          arbitrary: fc.constantFrom(
            "client_id",
            "redirect_uri",
            "state",
            "redir",
            "token",
            "invitation",
            "prompt",
            "notice",
            "id_token_hint",
            "return_to",
          ),
          weight: 4,
        },
        { arbitrary: adversarialString, weight: 1 },
      ),
      adversarialString,
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join("&"));

describe("fuzzing every hosted page and route with bad query strings, and the logout form", () => {
  const targets = hostedPaths();

  it("finds the hosted pages and routes on disk", () => {
    expect(targets.length).toBeGreaterThanOrEqual(12);
  });

  it.each(targets.map((t) => [t.path || "/", t] as const))(
    "GET %s: never a 5xx, changes no row",
    async (_name, target) => {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: contexts.length - 1 }), query, async (c, q) => {
          const context = contexts[c] as (typeof contexts)[number];
          const before = await snapshot();
          const answer = await context.browser.get(`/${context.slug}${target.path}?${q}`);
          expect(answer.status, answer.text.slice(0, 200)).toBeLessThan(500);
          const after = await snapshot();
          expect(Object.keys(after).filter((t) => after[t] !== before[t])).toEqual([]);
        }),
        { numRuns: Math.ceil(RUNS / 2) },
      );
    },
  );

  it("POST the logout route: never a 5xx, and without its CSRF field it ends nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FIELD_NAMES), adversarialString), adversarialString), {
          maxLength: 4,
        }),
        fc.constantFrom("multipart", "urlencoded", "text"),
        async (fields, shape) => {
          const context = contexts[1] as (typeof contexts)[number]; // signed in: there is a session to end
          const before = await snapshot();
          const multipart = new FormData();
          for (const [k, v] of fields) multipart.append(k, v);
          const body =
            shape === "multipart"
              ? multipart
              : shape === "urlencoded"
                ? new URLSearchParams(fields)
                : fields.map(([k, v]) => `${k}=${v}`).join("&");
          const answer = await context.browser.request(`/${context.slug}/logout`, {
            method: "POST",
            body,
            headers: { origin: portal.url, ...(shape === "text" ? { "content-type": "text/plain" } : {}) },
          });
          expect(answer.status, answer.text.slice(0, 200)).toBeLessThan(500);
          const after = await snapshot();
          expect(Object.keys(after).filter((t) => after[t] !== before[t])).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe("fuzzing every hosted form action over HTTP", () => {
  it("finds every actions.ts of the app in the build (so the fuzz below covers new actions)", () => {
    expect(new Set(actions.map((a) => a.file))).toEqual(new Set(actionFilesOnDisk()));
    expect(actions.length).toBeGreaterThanOrEqual(15);
    // Most actions' own forms were found in one of the contexts (the rest get random fields only).
    const without = actions.filter((a) => !examples.has(a.id)).map((a) => a.name);
    console.log(
      `[fuzz] ${actions.length} actions; without a served form in the test's contexts: ${without.join(", ")}`,
    );
    expect(examples.size).toBeGreaterThanOrEqual(8);
  });

  it.each(actions.map((a) => [`${a.name} (${a.page || "/"})`, a] as const))(
    "%s: never a 5xx, changes no row",
    async (_name, action) => {
      await fc.assert(
        fc.asyncProperty(posts(action), async (post) => {
          const before = await snapshot();
          const answer = await send(action, post);
          expect(answer.status, `${post.shape} post: ${answer.text.slice(0, 200)}`).toBeLessThan(500);
          const after = await snapshot();
          const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
          expect(changed, `${post.shape} post changed rows`).toEqual([]);
        }),
        { numRuns: RUNS },
      );
    },
  );
});
