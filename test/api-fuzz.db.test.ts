import { readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { TEMPLATE_NAMES } from "@/lib/email/templates/catalogue";
import { createServices, type Services } from "@/lib/services";
import { ADMIN, call, type Handler, routesUseTestServices } from "@/test/api";
import { completed, TEST_PUBLIC_URL, testRealm } from "@/test/db";
import { adversarialString, type BadBody, badBody, mutated } from "@/test/fuzz/adversarial";
import { snapshotTables } from "@/test/fuzz/table-snapshot";
import { ownTestDb } from "@/test/own-database";

/**
 * Bad-input fuzzing of every management API route (issue 7): the route modules under app/api are
 * found on disk, so a new route is fuzzed without anyone listing it. Each run sends one request
 * that is wrong in at least one way: no or a wrong API key, adversarial path parameters (NUL bytes,
 * lone surrogates, 70 KB), a body of the wrong shape, type or size, malformed JSON, the wrong
 * content type, an adversarial query string. Properties: never a 5xx; a refused request (4xx)
 * and any GET change no row of any table.
 */

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
/** Runs per route and method: the DB suites run twice in CI (PGlite and PostgreSQL); FUZZ_RUNS=500 for a long hunt. */
const RUNS = Number(process.env.FUZZ_RUNS) || 10;

const routeModules = import.meta.glob<Record<string, unknown>>("/app/api/**/route.ts", { eager: true });

interface Route {
  file: string;
  /** URL path with its parameters, e.g. /api/v1/realms/[realm]/users/[id]. */
  path: string;
  params: { name: string; catchAll: boolean }[];
  method: Method;
  handler: Handler;
}

const routes: Route[] = Object.entries(routeModules).flatMap(([file, mod]) => {
  const urlPath = file.replace(/^\/app/, "").replace(/\/route\.ts$/, "");
  const params = [...urlPath.matchAll(/\[(\.\.\.)?(\w+)\]/g)].map((m) => ({
    name: m[2] as string,
    catchAll: Boolean(m[1]),
  }));
  return METHODS.filter((m) => typeof mod[m] === "function").map((method) => ({
    file,
    path: urlPath,
    params,
    method,
    handler: mod[method] as Handler,
  }));
});

function routeFilesOnDisk(dir = path.resolve("app/api")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFilesOnDisk(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

/** Percent-encodes the UTF-8 bytes of any string, lone surrogates included (encodeURIComponent throws on them). */
const percentEncode = (value: string) =>
  [...Buffer.from(value, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");

const services = routesUseTestServices(async () => {
  const { db } = await ownTestDb();
  return createServices({ db, publicUrl: TEST_PUBLIC_URL, bootstrapApiKey: ADMIN.slice("Bearer ".length) });
});

let gh: Services;
/** Path parameter values that name real rows, per parameter name. */
const valid: Record<string, string[]> = {};

beforeAll(async () => {
  gh = await services();
  const { realm, app } = await testRealm(gh);
  const password = "harbor-lantern-2718-quiet";
  const user = await gh.users.create(realm, { email: "fuzz@example.com", password });
  const { invitation } = await gh.invitations.create(realm, { email: "invited@example.com" });
  const entry = await gh.flows.entry(realm, { client_id: app.id });
  const login = completed(
    await gh.flows.loginWithPassword(
      realm,
      entry,
      { email: "fuzz@example.com", password },
      { ip: "192.0.2.9", userAgent: "fuzz" },
    ),
  );
  valid.realm = [realm.slug, realm.id];
  valid.id = [user.id, invitation.id];
  valid.sid = [login.session.id];
  valid.name = [...TEMPLATE_NAMES];
  valid.path = ["v1", "nothing-here"];
});

const TEMPLATE = {
  subject: "Hello {{ user.name }}",
  html: "<p>{{ realm.name }}</p>",
  text: "{{ realm.name }}",
};
const NEW_USER = { email: "new@example.com", password: "harbor-lantern-2718-quiet", first_name: "Ada" };

/**
 * A valid body per route, mutated one thing at a time (test/fuzz/adversarial.ts `mutated`): that is
 * what gets a NUL byte past the "unknown field" checks to the code that stores it. A route missing
 * here is still fuzzed with random bodies.
 */
const EXAMPLES: Record<string, { contentType: string; value: unknown; lines?: boolean }> = {
  "POST /api/v1/realms": {
    contentType: "application/json",
    value: {
      slug: "fuzzed",
      name: "Fuzzed",
      settings: { bcrypt_cost: 4, email_from: "Fuzz <f@example.com>" },
    },
  },
  "PATCH /api/v1/realms/[realm]": {
    contentType: "application/json",
    value: { name: "Renamed", settings: { token_minutes: 30, mfa_permission: "admin:*", email_from: null } },
  },
  "POST /api/v1/realms/[realm]/apps": {
    contentType: "application/json",
    value: { name: "Web", redirect_uris: ["https://app.example/cb"], allow_subpaths: false },
  },
  "POST /api/v1/realms/[realm]/api_keys": { contentType: "application/json", value: { name: "ci" } },
  "POST /api/v1/realms/[realm]/invitations": {
    contentType: "application/json",
    value: { email: "someone@example.com", expires_in_days: 3, client_id: "app_x" },
  },
  "POST /api/v1/realms/[realm]/users": { contentType: "application/json", value: NEW_USER },
  "PATCH /api/v1/realms/[realm]/users/[id]": {
    contentType: "application/json",
    value: { first_name: "Ada", last_name: "Lovelace", state: "active", must_change_password: false },
  },
  "PUT /api/v1/realms/[realm]/email_templates/[name]": { contentType: "application/json", value: TEMPLATE },
  "POST /api/v1/realms/[realm]/email_templates/[name]/preview": {
    contentType: "application/json",
    value: TEMPLATE,
  },
  "POST /api/v1/realms/[realm]/users/[id]/verification_email": { contentType: "application/json", value: {} },
  "POST /api/v1/realms/[realm]/users/import": {
    contentType: "application/x-ndjson",
    value: [NEW_USER, { ...NEW_USER, email: "other@example.com" }],
    lines: true,
  },
};

function exampleBodies(route: Route): fc.Arbitrary<BadBody> | null {
  const example = EXAMPLES[`${route.method} ${route.path}`];
  if (!example) return null;
  return mutated(example.value as never).map((value) => ({
    contentType: example.contentType,
    body:
      example.lines && Array.isArray(value)
        ? value.map((line) => JSON.stringify(line)).join("\n")
        : (JSON.stringify(value) ?? "null"),
  }));
}

interface Attempt {
  params: Record<string, string>;
  auth: string | null;
  query: string;
  body: BadBody | null;
  /** What makes this request wrong, for the failure message. */
  flaw: string;
}

const printable = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
});

function attempts(route: Route): fc.Arbitrary<Attempt> {
  const takesBody = route.method !== "GET" && route.method !== "DELETE";
  const validParams = fc.record(
    Object.fromEntries(route.params.map((p) => [p.name, fc.constantFrom(...(valid[p.name] ?? ["x"]))])),
  ) as fc.Arbitrary<Record<string, string>>;
  const anyBody: fc.Arbitrary<BadBody | null> = takesBody ? fc.option(badBody) : fc.constant(null);

  const badAuth = fc.record({
    params: validParams,
    auth: fc.oneof(
      fc.constant(null),
      fc.constantFrom("Bearer", "Bearer ", "Basic Zm9vOmJhcg==", "bearer test-bootstrap-key", "Bearer ks_"),
      printable.map((s) => `Bearer ${s}`),
      fc.constant(`Bearer ${"k".repeat(10_000)}`),
    ),
    query: fc.constant(""),
    body: anyBody,
    flaw: fc.constant("API key"),
  });
  const badParams = route.params.length
    ? fc.record({
        params: fc
          .tuple(validParams, fc.constantFrom(...route.params.map((p) => p.name)), adversarialString)
          .map(([params, name, value]) => ({ ...params, [name]: value })),
        auth: fc.constant(ADMIN),
        query: fc.constant(""),
        body: anyBody,
        flaw: fc.constant("path parameter"),
      })
    : null;
  const examples = exampleBodies(route);
  const badRequestBody = takesBody
    ? fc.record({
        params: validParams,
        auth: fc.constant(ADMIN),
        query: fc.constant(""),
        body: examples
          ? fc.oneof({ arbitrary: examples, weight: 3 }, { arbitrary: badBody, weight: 1 })
          : badBody,
        flaw: fc.constant("body"),
      })
    : null;
  const badQuery = fc.record({
    params: validParams,
    auth: fc.constant(ADMIN),
    query: fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom("limit", "after", "before", "email", "q", "limit[]"), printable),
          fc.oneof(adversarialString, fc.constantFrom("-1", "0", "101", "1e9", "abc", "1.5")),
        ),
        { minLength: 1, maxLength: 3 },
      )
      .map((pairs) => `?${pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join("&")}`),
    body: takesBody ? badBody.map((b) => b as BadBody | null) : fc.constant(null),
    flaw: fc.constant("query"),
  });
  const kinds = [badAuth, badQuery, badParams].filter((k): k is NonNullable<typeof k> => k !== null);
  // Bodies are where most of the code is: half of the runs of a route that takes one.
  return badRequestBody
    ? fc.oneof({ arbitrary: badRequestBody, weight: kinds.length }, ...kinds)
    : fc.oneof(...kinds);
}

describe("fuzzing the management API with bad input", () => {
  it("finds every route module on disk (so the fuzz below covers new routes)", () => {
    expect(Object.keys(routeModules).length).toBe(routeFilesOnDisk().length);
    expect(routes.length).toBeGreaterThanOrEqual(30);
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    "%s: never a 5xx; a refused request changes no row",
    async (_name, route) => {
      await fc.assert(
        fc.asyncProperty(attempts(route), async (attempt) => {
          const before = await snapshotTables(gh.db);
          const headers: Record<string, string> = { "x-forwarded-for": "192.0.2.77" };
          if (attempt.body) headers["content-type"] = attempt.body.contentType ?? "";
          const urlPath = route.params.reduce(
            (p, { name, catchAll }) =>
              p.replace(catchAll ? `[...${name}]` : `[${name}]`, percentEncode(attempt.params[name] ?? "")),
            route.path,
          );
          const res = await call(route.handler, {
            method: route.method,
            path: `${urlPath}${attempt.query}`,
            params: attempt.params,
            auth: attempt.auth,
            headers,
            body: attempt.body?.body,
          });
          expect(res.status, `a bad ${attempt.flaw} got ${JSON.stringify(res.json)}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.json?.error?.code).toEqual(expect.any(String));
          // The bulk import answers 200 and then row by row: no row may have failed unexpectedly.
          expect(JSON.stringify(res.json), "a row failed with a 500-class error").not.toContain(
            '"code":"internal"',
          );
          if (res.status >= 400 || route.method === "GET") {
            expect(await snapshotTables(gh.db), `a refused ${attempt.flaw} changed rows`).toEqual(before);
          }
        }),
        { numRuns: RUNS },
      );
    },
  );
});
