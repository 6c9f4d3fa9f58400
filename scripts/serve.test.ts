import { describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without type declarations
import { clientIp, seeOtherForPageRedirects, shutDown, trustedHops } from "./serve.mjs";

describe("client address behind zero or more trusted proxies", () => {
  it("ignores x-forwarded-for entirely when no proxy is trusted", () => {
    expect(clientIp("198.51.100.4", "203.0.113.9", 0)).toBe("198.51.100.4");
  });

  it("takes the entry the nearest trusted proxy saw, not what the client claimed", () => {
    // client forged "1.2.3.4"; the proxy appended the real client address 203.0.113.9
    expect(clientIp("10.0.0.2", "1.2.3.4, 203.0.113.9", 1)).toBe("203.0.113.9");
    expect(clientIp("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.1", 2)).toBe("203.0.113.9");
  });

  it("falls back to the left-most entry when the chain is shorter than the trusted hops", () => {
    expect(clientIp("10.0.0.2", "", 3)).toBe("10.0.0.2");
  });

  it("unwraps IPv4-mapped IPv6 socket addresses", () => {
    expect(clientIp("::ffff:127.0.0.1", undefined, 0)).toBe("127.0.0.1");
  });

  it("validates GATEHOUSE_TRUSTED_PROXIES", () => {
    expect(trustedHops(undefined)).toBe(0);
    expect(trustedHops("2")).toBe(2);
    expect(() => trustedHops("yes")).toThrow(/GATEHOUSE_TRUSTED_PROXIES/);
    expect(() => trustedHops("-1")).toThrow();
  });
});

describe("303 for redirects from hosted pages", () => {
  async function statusAfter(method: string, url: string, status: number) {
    let written = 0;
    const res = {
      writeHead(code: number) {
        written = code;
        return this;
      },
    };
    seeOtherForPageRedirects({ method, url }, res);
    res.writeHead(status);
    return written;
  }

  it("turns a 307 from GET /{realm}/login into 303, and leaves everything else alone", async () => {
    expect(await statusAfter("GET", "/acme/login?redirect_uri=x", 307)).toBe(303);
    expect(await statusAfter("GET", "/acme/signup", 307)).toBe(303);
    expect(await statusAfter("GET", "/acme/profile", 307)).toBe(303);
    expect(await statusAfter("GET", "/acme/login", 200)).toBe(200);
    expect(await statusAfter("POST", "/acme/login", 307)).toBe(307);
    expect(await statusAfter("GET", "/api/v1/realms", 307)).toBe(307);
  });
});

describe("shutdown on SIGTERM", () => {
  function fakeServer() {
    const calls: string[] = [];
    return {
      calls,
      server: { close: () => calls.push("close"), closeIdleConnections: () => calls.push("idle") },
    };
  }

  it("stops taking connections, waits for the app's background work, then exits 0", async () => {
    const { calls, server } = fakeServer();
    await shutDown({
      server,
      finishWork: async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        calls.push("work finished");
      },
      exit: (code: number) => calls.push(`exit ${code}`),
      log: (line: string) => calls.push(line),
    });
    expect(calls).toEqual(["close", "idle", "work finished", "exit 0"]);
  });

  it("exits after the timeout when the work hangs, and when it fails", async () => {
    const hung = fakeServer();
    await shutDown({
      server: hung.server,
      finishWork: () => new Promise(() => {}),
      timeoutMs: 20,
      exit: (code: number) => hung.calls.push(`exit ${code}`),
      log: (line: string) => hung.calls.push(line),
    });
    expect(hung.calls).toEqual(["close", "idle", "[shutdown] gave up waiting after 20 ms", "exit 0"]);

    const failing = fakeServer();
    await shutDown({
      server: failing.server,
      finishWork: async () => {
        throw new Error("db gone");
      },
      exit: (code: number) => failing.calls.push(`exit ${code}`),
      log: (line: string) => failing.calls.push(line),
    });
    expect(failing.calls).toEqual(["close", "idle", "[shutdown] db gone", "exit 0"]);
  });
});
