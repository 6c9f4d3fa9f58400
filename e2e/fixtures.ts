/**
 * Shared fixtures of the end-to-end suite. Every test gets its own realm (unique slug), an app
 * registered for its own demo app (demo/server.mjs on a free port), and, when it asks, a user made
 * through the management API. Nothing is shared between tests except the portal process.
 */
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import {
  type APIRequestContext,
  type BrowserContext,
  test as base,
  expect,
  type Page,
  request as playwrightRequest,
} from "@playwright/test";
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyResult, jwtVerify } from "jose";
import type { CaughtEmail } from "../test/smtp-catcher.mjs";
import { API_KEY, MAIL_API_URL, PORTAL_URL } from "./settings";

export { expect, PORTAL_URL };

// ---------------------------------------------------------------------------------------------
// Management API
// ---------------------------------------------------------------------------------------------

export interface RealmInfo {
  id: string;
  slug: string;
  name: string;
  url: string;
  settings: Record<string, unknown>;
}

export interface AppInfo {
  id: string;
  name: string;
  redirect_uris: string[];
  allow_subpaths: boolean;
}

export interface UserInfo {
  id: string;
  email: string;
  username?: string | null;
  password: string;
  first_name: string | null;
  last_name: string | null;
}

/** A thin client of the management API with the bootstrap key. Fails loudly on any non-2xx. */
export class Api {
  constructor(readonly request: APIRequestContext) {}

  private async call<T>(method: "GET" | "POST" | "PATCH", url: string, data?: unknown): Promise<T> {
    const response = await this.request.fetch(url, { method, data });
    if (!response.ok()) {
      throw new Error(`${method} ${url} → ${response.status()}: ${await response.text()}`);
    }
    return (await response.json()) as T;
  }

  createRealm(body: { slug: string; name: string; settings?: Record<string, unknown> }) {
    return this.call<RealmInfo>("POST", "/api/v1/realms", body);
  }

  createApp(slug: string, body: { name: string; redirect_uris: string[]; allow_subpaths?: boolean }) {
    return this.call<AppInfo>("POST", `/api/v1/realms/${slug}/apps`, body);
  }

  async createUser(
    slug: string,
    body: { email: string; password: string; first_name?: string; last_name?: string },
  ): Promise<UserInfo> {
    const user = await this.call<Omit<UserInfo, "password">>("POST", `/api/v1/realms/${slug}/users`, body);
    return { ...user, password: body.password };
  }

  /** PATCHes some of a realm's settings; fails loudly if any is refused. */
  updateRealmSettings(slug: string, settings: Record<string, unknown>) {
    return this.call<RealmInfo>("PATCH", `/api/v1/realms/${slug}`, { settings });
  }

  updateUser(slug: string, id: string, body: Record<string, unknown>) {
    return this.call<Omit<UserInfo, "password">>("PATCH", `/api/v1/realms/${slug}/users/${id}`, body);
  }

  /** Registers a social-login provider (`POST /providers`); the answer never carries the secret. */
  createProvider(slug: string, body: Record<string, unknown>) {
    return this.call<{ id: string; slug: string; display_name: string }>(
      "POST",
      `/api/v1/realms/${slug}/providers`,
      body,
    );
  }

  async listUsers(slug: string) {
    return (
      await this.call<{ data: Array<Omit<UserInfo, "password">> }>("GET", `/api/v1/realms/${slug}/users`)
    ).data;
  }
}

// ---------------------------------------------------------------------------------------------
// Demo app (the product team's application, verifying tokens through JWKS over HTTP)
// ---------------------------------------------------------------------------------------------

type StartDemoApp = (options: {
  port: number;
  portalUrl: string;
  realm: string;
  clientId: string;
  host?: string;
  publicUrl?: string;
}) => Promise<Server>;

// A computed specifier: demo/ is plain JavaScript outside the TypeScript project.
const demoModule = pathToFileURL(path.resolve(__dirname, "..", "demo", "server.mjs")).href;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface DemoApp {
  app: AppInfo;
  /** `http://localhost:PORT` */
  origin: string;
  /** The registered return address, `{origin}/callback`. */
  callback: string;
  /** The hosted login page for this app, with `redirect_uri` = callback unless overridden. */
  loginUrl(params?: Record<string, string>): string;
  signupUrl(params?: Record<string, string>): string;
  logoutUrl(params?: Record<string, string>): string;
}

// ---------------------------------------------------------------------------------------------
// Helpers used by the specs
// ---------------------------------------------------------------------------------------------

export function unique(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
}

export function hostedUrl(slug: string, page: string, params: Record<string, string> = {}): string {
  const url = new URL(`${PORTAL_URL}/${slug}/${page}`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

/**
 * Alerts of the page's own content. (Next.js adds an empty `role="alert"` route announcer outside
 * `<main>`, which is not ours to assert on.)
 */
export function alerts(page: Page) {
  return page.getByRole("main").getByRole("alert");
}

/**
 * Waits until the page's form is hydrated, when the page runs scripts at all. A click that beats
 * hydration would send a plain HTML form post instead of the JavaScript path under test.
 */
export async function waitForForm(page: Page) {
  await expect(page.locator("form").first()).toBeAttached();
  // Next's inline bootstrap script defines `__next_f`; with JavaScript off it never runs.
  const scriptsRun = await page.evaluate(() => "__next_f" in window);
  if (!scriptsRun) return;
  await page.waitForFunction(() => {
    const form = document.querySelector("form");
    return !!form && Object.keys(form).some((key) => key.startsWith("__reactProps$"));
  });
}

/** Counts form posts (server actions are POSTs to the page) to prove validation stayed in the browser. */
export function countPosts(page: Page) {
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().startsWith(PORTAL_URL)) posts.push(r.url());
  });
  return posts;
}

/** Fills the login form like a person would and presses the button. */
export async function submitLogin(page: Page, email: string, password: string) {
  await waitForForm(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

export async function submitSignup(
  page: Page,
  fields: { email: string; password: string; firstName?: string; lastName?: string },
) {
  await waitForForm(page);
  if (fields.firstName !== undefined) await page.getByLabel("First name (optional)").fill(fields.firstName);
  if (fields.lastName !== undefined) await page.getByLabel("Last name (optional)").fill(fields.lastName);
  await page.getByLabel("Email").fill(fields.email);
  await page.getByLabel("Password").fill(fields.password);
  await page.getByRole("button", { name: "Sign up" }).click();
}

/** Waits until the browser is on the demo app's callback and the app says who is signed in. */
export async function expectSignedInAtApp(page: Page, demo: DemoApp, email: string): Promise<URL> {
  await page.waitForURL((url) => url.href.startsWith(`${demo.callback}?`), {
    waitUntil: "commit",
    timeout: 10_000,
  });
  await expect(page.getByRole("heading", { name: `Signed in as ${email}` })).toBeVisible();
  return new URL(page.url());
}

/** The whole happy path through the demo app's login link target; returns the callback URL. */
export async function logInThroughApp(
  page: Page,
  demo: DemoApp,
  user: { email: string; password: string },
  params: Record<string, string> = {},
): Promise<URL> {
  await page.goto(demo.loginUrl(params));
  await submitLogin(page, user.email, user.password);
  return expectSignedInAtApp(page, demo, user.email);
}

/** The hosted error page that replaces any redirect the portal cannot vouch for. */
export async function expectErrorPage(page: Page, message: string | RegExp) {
  await expect(page.getByRole("heading", { level: 1, name: "Something went wrong" })).toBeVisible();
  await expect(alerts(page)).toHaveText(message);
  await expect(page.getByLabel("Email")).toHaveCount(0);
  await expect(page.getByLabel("Password")).toHaveCount(0);
}

export function tokenFrom(url: URL | string): string {
  const token = new URL(url).searchParams.get("token");
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}

/** Verifies a login token the way a consumer must: JWKS over HTTP, issuer, audience, pinned alg. */
export async function verifyLoginToken(
  token: string,
  realm: RealmInfo,
  app: AppInfo,
): Promise<JWTVerifyResult<JWTPayload & Record<string, unknown>>> {
  const jwks = createRemoteJWKSet(new URL(`${PORTAL_URL}/${realm.slug}/connect/jwks`));
  return jwtVerify(token, jwks, {
    issuer: `${PORTAL_URL}/${realm.slug}`,
    audience: app.id,
    algorithms: ["RS256"],
  });
}

/** The portal session cookie of a realm in a browser context, if any. */
export async function sessionCookie(context: BrowserContext, realm: RealmInfo) {
  return (await context.cookies(PORTAL_URL)).find((c) => c.name === `gh_session_${realm.id}`);
}

/**
 * Runs axe (WCAG 2.x A/AA and best practices) and fails on serious or critical findings. `exclude`
 * leaves out what is not ours, such as a sandboxed frame with someone's email in it (axe cannot run
 * in a frame that forbids scripts, and would wait for it forever).
 */
export async function expectNoSeriousViolations(page: Page, options: { exclude?: string[] } = {}) {
  let axe = new AxeBuilder({ page }).withTags([
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
  ]);
  for (const selector of options.exclude ?? []) axe = axe.exclude(selector);
  const results = await axe.analyze();
  // Sanity: axe really looked at this page.
  expect(results.passes.length).toBeGreaterThan(0);
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
  expect(serious).toEqual([]);
}

/** Every URL any page of the context requests, in order (for "never went there" assertions). */
export function recordRequests(context: BrowserContext): string[] {
  const seen: string[] = [];
  context.on("request", (request) => seen.push(request.url()));
  return seen;
}

// ---------------------------------------------------------------------------------------------
// Mail: what the portal sent over SMTP to the catcher (e2e/mail-catcher.mjs)
// ---------------------------------------------------------------------------------------------

export class Mailbox {
  /** Messages to `to` (and with `subject` in the subject), oldest first. */
  async list(query: { to?: string; subject?: string; after?: number } = {}): Promise<CaughtEmail[]> {
    const params = new URLSearchParams();
    if (query.to) params.set("to", query.to);
    if (query.subject) params.set("subject", query.subject);
    if (query.after) params.set("after", String(query.after));
    const response = await fetch(`${MAIL_API_URL}/messages?${params}`);
    if (!response.ok) throw new Error(`mail catcher: ${response.status}`);
    return (await response.json()) as CaughtEmail[];
  }

  /** The first message matching the query, waiting for it to arrive. */
  async waitFor(
    query: { to: string; subject?: string; after?: number },
    timeoutMs = 15_000,
  ): Promise<CaughtEmail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [first] = await this.list(query);
      if (first) return first;
      if (Date.now() > deadline)
        throw new Error(`no email to ${query.to} (${query.subject ?? "any subject"})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The first link of the first matching message that contains `path` (e.g. "/reset?"). */
  async linkIn(query: { to: string; subject?: string; after?: number }, path: string): Promise<string> {
    const email = await this.waitFor(query);
    const link = email.links.find((l) => l.includes(path));
    if (!link) throw new Error(`no link with ${path} in "${email.subject}": ${email.links.join(" ")}`);
    return link;
  }

  /** Makes the SMTP server refuse connections (421) or accept them again. */
  async setDown(down: boolean): Promise<void> {
    await fetch(`${MAIL_API_URL}/down?value=${down ? 1 : 0}`, { method: "POST" });
  }
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

type TestFixtures = {
  /** A fresh realm (bcrypt cost 4 to keep tests fast). */
  realm: RealmInfo;
  /** Starts another demo app registered as a new app of `realm`. */
  startDemo: (options?: {
    name?: string;
    extraRedirectUris?: string[];
    allowSubpaths?: boolean;
  }) => Promise<DemoApp>;
  /** The realm's first app, served by a running demo app. */
  demo: DemoApp;
  /** A user of `realm` created through the API. */
  user: UserInfo;
};

type WorkerFixtures = {
  api: Api;
  /** The SMTP catcher's messages (real SMTP from the portal). */
  mail: Mailbox;
};

export const test = base.extend<TestFixtures, WorkerFixtures>({
  api: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take an object pattern.
    async ({}, use) => {
      const request = await playwrightRequest.newContext({
        baseURL: PORTAL_URL,
        extraHTTPHeaders: { authorization: `Bearer ${API_KEY}` },
      });
      await use(new Api(request));
      await request.dispose();
    },
    { scope: "worker" },
  ],

  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take an object pattern.
  mail: [async ({}, use) => use(new Mailbox()), { scope: "worker" }],

  realm: async ({ api }, use) => {
    const slug = unique("e2e-");
    const realm = await api.createRealm({
      slug,
      name: `Realm ${slug.slice(4)}`,
      settings: { bcrypt_cost: 4 },
    });
    await use(realm);
  },

  startDemo: async ({ api, realm }, use) => {
    const { startDemoApp } = (await import(demoModule)) as { startDemoApp: StartDemoApp };
    const servers: Server[] = [];
    let count = 0;
    await use(async (options = {}) => {
      count += 1;
      const port = await freePort();
      const origin = `http://localhost:${port}`;
      const callback = `${origin}/callback`;
      const app = await api.createApp(realm.slug, {
        name: options.name ?? `App ${count} ${realm.slug.slice(4)}`,
        // `/` too: the demo app's own "Log out" link returns there.
        redirect_uris: [callback, `${origin}/`, ...(options.extraRedirectUris ?? [])],
        allow_subpaths: options.allowSubpaths ?? false,
      });
      servers.push(
        await startDemoApp({
          port,
          portalUrl: PORTAL_URL,
          realm: realm.slug,
          clientId: app.id,
          publicUrl: origin,
        }),
      );
      const withEntry =
        (page: string) =>
        (params: Record<string, string> = {}) =>
          hostedUrl(realm.slug, page, { client_id: app.id, redirect_uri: callback, ...params });
      return {
        app,
        origin,
        callback,
        loginUrl: withEntry("login"),
        signupUrl: withEntry("signup"),
        logoutUrl: withEntry("logout"),
      };
    });
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  },

  demo: async ({ startDemo }, use) => {
    await use(await startDemo());
  },

  user: async ({ api, realm }, use) => {
    const user = await api.createUser(realm.slug, {
      email: `${unique("user-")}@example.com`,
      password: `pw-${randomBytes(9).toString("base64url")}`,
      first_name: "Ada",
      last_name: "Lovelace",
    });
    await use(user);
  },
});
