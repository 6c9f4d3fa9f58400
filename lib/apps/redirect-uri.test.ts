import { describe, expect, it } from "vitest";
import { buildReturnUrl, matchRedirectUri, normalizeRedirectUri, parseRedirectUri } from "./redirect-uri";

const REGISTERED = ["https://app.example.com/callback"];
const exact = { allowSubpaths: false };
const subpaths = { allowSubpaths: true };

function problemOf(raw: string): string {
  const parsed = parseRedirectUri(raw);
  return parsed.ok ? `ok:${parsed.url.href}` : parsed.problem;
}

describe("parseRedirectUri", () => {
  it("accepts plain http(s) URLs and normalises them", () => {
    expect(problemOf("https://app.example.com/callback")).toBe("ok:https://app.example.com/callback");
    expect(problemOf("https://App.Example.COM:443/callback")).toBe("ok:https://app.example.com/callback");
    expect(problemOf("http://app.example.com:80/cb")).toBe("ok:http://app.example.com/cb");
    expect(problemOf("HTTPS://app.example.com/cb?x=1")).toBe("ok:https://app.example.com/cb?x=1");
  });

  it.each([
    ["javascript:alert(1)", "scheme"],
    ["data:text/html,<script>alert(1)</script>", "scheme"],
    ["ftp://app.example.com/cb", "scheme"],
    ["https:evil.com", "malformed"],
    ["https:/evil.com", "malformed"],
    ["https:///evil.com", "malformed"],
    ["//evil.com", "malformed"],
    ["/callback", "malformed"],
    ["", "malformed"],
    ["https://user:pw@app.example.com/cb", "userinfo"],
    ["https://app.example.com@evil.com/cb", "userinfo"],
    ["https://@app.example.com/cb", "userinfo"],
    ["https://app.example.com/cb#frag", "fragment"],
    ["https://app.example.com/cb#", "fragment"],
  ])("refuses %j (%s)", (raw, problem) => {
    expect(problemOf(raw)).toBe(problem);
  });

  it.each([
    "https://app.example.com\\@evil.com",
    "https://app.example.com\\cb",
    "https://app.example.com/c b",
    "https://app.example.com/cb\t",
    "https://app.example.com/c\tb",
    "https://app.example.com/cb\n",
    "https://app.example.com/c\r\nb",
    "https://app.example.com/c\u0000b",
    "https://app.example.com/c\u007fb",
    "https://app.example.com/cb\u00a0",
    " https://app.example.com/cb",
    "https://app.example.com/%2e%2e/admin",
    "https://app.example.com/%2E%2E/admin",
    "https://app.example.com/.%2e/admin",
    "https://app.example.com/a%2fb",
    "https://app.example.com/a%2Fb",
    "https://app.example.com/a%5cb",
    "https://app.example.com/a%00b",
    "https://app.example.com/callback/../admin",
    "https://app.example.com/./callback",
    "https://app.example.com/callback/..",
    "https://app.example.com/callback/.",
    "https://app.example.com/callback/..?x=1",
    // Tomcat and friends read `..;` as `..`: the WHATWG parser keeps it as an ordinary segment.
    "https://app.example.com/callback/..;/admin",
    "https://app.example.com/callback/.;/x",
  ])("refuses suspicious %j", (raw) => {
    expect(problemOf(raw)).toBe("suspicious");
  });

  it("refuses input over 2048 characters, accepts exactly 2048", () => {
    const base = "https://app.example.com/cb?x=";
    expect(problemOf(base + "a".repeat(2048 - base.length))).toMatch(/^ok:/);
    expect(problemOf(base + "a".repeat(2049 - base.length))).toBe("malformed");
    expect(problemOf(base + "a".repeat(100_000))).toBe("malformed");
  });

  it("leaves a query that merely mentions another URL alone (it cannot change the host)", () => {
    expect(problemOf("https://evil.com?https://app.example.com/callback")).toBe(
      "ok:https://evil.com/?https://app.example.com/callback",
    );
  });
});

describe("normalizeRedirectUri", () => {
  it("returns the normalised href or null", () => {
    expect(normalizeRedirectUri("https://APP.example.com:443")).toBe("https://app.example.com/");
    expect(normalizeRedirectUri("https://app.example.com:8443/cb")).toBe("https://app.example.com:8443/cb");
    expect(normalizeRedirectUri("javascript:alert(1)")).toBeNull();
    expect(normalizeRedirectUri("https://app.example.com/cb#x")).toBeNull();
  });

  it("is idempotent", () => {
    const once = normalizeRedirectUri("https://App.Example.com:443/a/b?x=1&y=2");
    expect(once).not.toBeNull();
    expect(normalizeRedirectUri(once as string)).toBe(once);
  });
});

describe("matchRedirectUri, exact mode", () => {
  it("matches a registered URI after normalisation (host case, default port)", () => {
    expect(matchRedirectUri("https://app.example.com/callback", REGISTERED, exact)).toBe(
      "https://app.example.com/callback",
    );
    expect(matchRedirectUri("https://APP.example.COM:443/callback", REGISTERED, exact)).toBe(
      "https://app.example.com/callback",
    );
  });

  it("finds the matching entry among several", () => {
    const many = ["https://one.example.com/cb", "https://app.example.com/callback"];
    expect(matchRedirectUri("https://app.example.com/callback", many, exact)).toBe(
      "https://app.example.com/callback",
    );
  });

  it.each([
    ["other host", "https://evil.com/callback"],
    ["subdomain of ours", "https://x.app.example.com/callback"],
    ["our host as a prefix", "https://app.example.com.evil.com/callback"],
    ["userinfo trick", "https://app.example.com@evil.com/callback"],
    ["ours in the query", "https://evil.com?https://app.example.com/callback"],
    ["other port", "https://app.example.com:8443/callback"],
    ["other scheme", "http://app.example.com/callback"],
    ["deeper path", "https://app.example.com/callback/more"],
    ["longer path", "https://app.example.com/callbackevil"],
    ["path case", "https://app.example.com/Callback"],
    ["extra query", "https://app.example.com/callback?x=1"],
    ["trailing slash", "https://app.example.com/callback/"],
    ["fragment", "https://app.example.com/callback#x"],
    ["backslash", "https://app.example.com\\@evil.com/callback"],
    ["protocol-relative", "//app.example.com/callback"],
    ["scheme without slashes", "https:app.example.com/callback"],
    ["javascript", "javascript://app.example.com/callback%0aalert(1)"],
    ["newline", "https://app.example.com/call\nback"],
    ["encoded dot segment", "https://app.example.com/callback/%2e%2e/callback"],
    ["dot segment back to itself", "https://app.example.com/x/../callback"],
  ])("refuses %s", (_label, candidate) => {
    expect(matchRedirectUri(candidate, REGISTERED, exact)).toBeNull();
  });

  it("refuses everything when nothing is registered", () => {
    expect(matchRedirectUri("https://app.example.com/callback", [], exact)).toBeNull();
  });

  it("requires the exact query when the registered URI has one", () => {
    const withQuery = ["https://app.example.com/cb?tenant=a"];
    expect(matchRedirectUri("https://app.example.com/cb?tenant=a", withQuery, exact)).toBe(
      "https://app.example.com/cb?tenant=a",
    );
    expect(matchRedirectUri("https://app.example.com/cb?tenant=b", withQuery, exact)).toBeNull();
    expect(matchRedirectUri("https://app.example.com/cb", withQuery, exact)).toBeNull();
  });
});

describe("matchRedirectUri, allow sub-paths", () => {
  it("allows the same path and deeper paths at a / boundary", () => {
    expect(matchRedirectUri("https://app.example.com/callback", REGISTERED, subpaths)).toBe(
      "https://app.example.com/callback",
    );
    expect(matchRedirectUri("https://app.example.com/callback/", REGISTERED, subpaths)).toBe(
      "https://app.example.com/callback/",
    );
    expect(matchRedirectUri("https://APP.example.com:443/callback/a/b", REGISTERED, subpaths)).toBe(
      "https://app.example.com/callback/a/b",
    );
  });

  it("allows a query on a sub-path", () => {
    expect(matchRedirectUri("https://app.example.com/callback/x?next=1", REGISTERED, subpaths)).toBe(
      "https://app.example.com/callback/x?next=1",
    );
  });

  it("treats a registered trailing slash as the boundary", () => {
    const dir = ["https://app.example.com/app/"];
    expect(matchRedirectUri("https://app.example.com/app/page", dir, subpaths)).toBe(
      "https://app.example.com/app/page",
    );
    expect(matchRedirectUri("https://app.example.com/application", dir, subpaths)).toBeNull();
    expect(matchRedirectUri("https://app.example.com/app", dir, subpaths)).toBeNull();
  });

  it.each([
    ["a longer segment", "https://app.example.com/callbackevil"],
    ["a sibling path", "https://app.example.com/other"],
    ["the parent", "https://app.example.com/"],
    ["another origin with the same path", "https://evil.com/callback/x"],
    ["our host as a prefix", "https://app.example.com.evil.com/callback/x"],
    ["another port", "https://app.example.com:444/callback/x"],
    ["another scheme", "http://app.example.com/callback/x"],
    ["dot segments", "https://app.example.com/callback/../admin"],
    ["encoded dot segments", "https://app.example.com/callback/%2e%2e/admin"],
    ["encoded slash", "https://app.example.com/callback%2f..%2fadmin"],
    ["encoded backslash", "https://app.example.com/callback/%5c%5cevil.com"],
    ["semicolon dot segment", "https://app.example.com/callback/..;/admin"],
    ["userinfo", "https://me@app.example.com/callback/x"],
    ["fragment", "https://app.example.com/callback/x#y"],
  ])("refuses %s", (_label, candidate) => {
    expect(matchRedirectUri(candidate, REGISTERED, subpaths)).toBeNull();
  });
});

describe("buildReturnUrl", () => {
  it("keeps existing query parameters and appends the result", () => {
    const url = new URL(
      buildReturnUrl("https://app.example.com/cb?tenant=a&lang=en", { token: "jwt.x.y", state: "s1" }),
    );
    expect(url.origin + url.pathname).toBe("https://app.example.com/cb");
    expect([...url.searchParams]).toEqual([
      ["tenant", "a"],
      ["lang", "en"],
      ["token", "jwt.x.y"],
      ["state", "s1"],
    ]);
  });

  it("skips undefined and null values", () => {
    const href = buildReturnUrl("https://app.example.com/cb", {
      token: "t",
      state: undefined,
      signup: null,
    });
    expect(href).toBe("https://app.example.com/cb?token=t");
  });

  it("encodes values so they cannot add parameters of their own", () => {
    const url = new URL(buildReturnUrl("https://app.example.com/cb", { state: "a&token=forged#x" }));
    expect(url.searchParams.get("state")).toBe("a&token=forged#x");
    expect(url.searchParams.getAll("token")).toEqual([]);
    expect(url.hash).toBe("");
  });

  it("replaces a token already present on the base instead of adding a second one", () => {
    const url = new URL(buildReturnUrl("https://app.example.com/cb?token=old", { token: "new" }));
    expect(url.searchParams.getAll("token")).toEqual(["new"]);
  });
});

describe("encoded characters in the query", () => {
  const registered = ["https://app.example.com/cb?next=%2Fdashboard"];

  it("allows an encoded slash or URL in the query (ordinary return-to parameters)", () => {
    expect(parseRedirectUri("https://app.example.com/cb?next=%2Fdashboard").ok).toBe(true);
    expect(parseRedirectUri("https://app.example.com/cb?return=https%3A%2F%2Fapp.example.com%2Fx").ok).toBe(
      true,
    );
    expect(
      matchRedirectUri("https://app.example.com/cb?next=%2Fdashboard", registered, { allowSubpaths: false }),
    ).toBe("https://app.example.com/cb?next=%2Fdashboard");
  });

  it("still refuses encoded dots or slashes and dot segments before the query, and NUL anywhere", () => {
    for (const raw of [
      "https://app.example.com/cb/..?x=1",
      "https://app.example.com/cb%2f..?x=1",
      "https://app.example.com/%2e%2e/cb?x",
      "https://app.example.com/cb?x=%00",
      "https://app.example.com/cb?x=a b",
    ]) {
      expect(parseRedirectUri(raw)).toEqual({ ok: false, problem: "suspicious" });
    }
  });
});
