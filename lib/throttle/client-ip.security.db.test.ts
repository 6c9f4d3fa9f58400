import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { requestContext } from "@/lib/http/request-context";
import type { Services } from "@/lib/services";
// @ts-expect-error: plain ESM script without type declarations
import { identifyClient } from "@/scripts/serve.mjs";
import { testRealm, testServices } from "@/test/db";

/**
 * The whole chain from socket to throttle key: scripts/serve.mjs names the client, the app reads
 * the name (lib/http/request-context.ts), the login flow throttles by it. Only Next.js itself,
 * which passes headers through, is left out here; e2e/throttle.spec.ts runs through it.
 */
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function portal(gh: Services, hops: number) {
  const { realm } = await testRealm(gh, { login_lock_after_failures: 3, login_delay_after_failures: 50 });
  await gh.users.create(realm, { email: "victim@example.com", password: "the-right-password" });
  const entry = await gh.flows.entry(realm, {});
  const server = http.createServer((req, res) => {
    identifyClient(req, hops);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === "string") headers.set(name, value);
    const context = requestContext(headers);
    const password = req.headers["x-test-password"] as string;
    gh.flows
      .loginWithPassword(realm, entry, { email: "victim@example.com", password }, context)
      .then(
        () => "ok",
        (error: { code: string }) => error.code,
      )
      .then((outcome) => res.end(JSON.stringify({ outcome, ip: context.ip })));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const attempt = (password: string, headers: Record<string, string> = {}) =>
    new Promise<{ outcome: string; ip: string }>((resolve, reject) => {
      const req = http.request({
        port,
        host: "127.0.0.1",
        headers: { ...headers, "x-test-password": password },
      });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve(JSON.parse(body)));
      });
      req.on("error", reject);
      req.end();
    });
  return { realm, attempt };
}

describe("the login throttle keys on the address the portal can vouch for", () => {
  it("without trusted proxies, a forged x-forwarded-for or client-ip header changes nothing", async () => {
    const gh = await testServices();
    const { realm, attempt } = await portal(gh, 0);
    for (let i = 0; i < 3; i++) {
      const r = await attempt("wrong", {
        "x-forwarded-for": `203.0.113.${i}`,
        "x-gatehouse-client-ip": `198.51.100.${i}`,
      });
      expect(r).toEqual({ outcome: "auth.invalid_credentials", ip: "127.0.0.1" });
    }
    // A fourth forged address does not escape the lock of the real one, even with the right password.
    const locked = await attempt("the-right-password", { "x-forwarded-for": "203.0.113.99" });
    expect(locked.outcome).toBe("auth.invalid_credentials");
    const user = await gh.users.findForLogin(realm.id, "victim@example.com");
    const state = await gh.throttle.accountState(realm.id, user?.user.id ?? "");
    expect(state.pairs.map((p) => p.ip)).toEqual(["127.0.0.1"]);
    expect(state.pairs[0]?.lockedUntil).not.toBeNull();
  });

  it("behind one trusted proxy, the address that proxy saw is the client", async () => {
    const gh = await testServices();
    const { attempt } = await portal(gh, 1);
    // The client forged 1.2.3.4; the proxy appended the address it really saw.
    for (let i = 0; i < 3; i++) {
      const r = await attempt("wrong", { "x-forwarded-for": "1.2.3.4, 203.0.113.7" });
      expect(r.ip).toBe("203.0.113.7");
    }
    expect((await attempt("the-right-password", { "x-forwarded-for": "203.0.113.7" })).outcome).toBe(
      "auth.invalid_credentials",
    );
    // Another client behind the same proxy is another address, not locked.
    expect(await attempt("the-right-password", { "x-forwarded-for": "1.2.3.4, 203.0.113.8" })).toEqual({
      outcome: "ok",
      ip: "203.0.113.8",
    });
  });
});
