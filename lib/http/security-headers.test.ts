import { describe, expect, it } from "vitest";
import { baseSecurityHeaders, contentSecurityPolicy } from "./security-headers";

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe("contentSecurityPolicy", () => {
  const nonce = "bm9uY2Utdmk4eA==";
  const prod = directives(contentSecurityPolicy(nonce, { dev: false }));

  it("lets scripts and styles run only with the nonce in production", () => {
    expect(prod.get("script-src")).toContain(`'nonce-${nonce}'`);
    expect(prod.get("style-src")).toContain(`'nonce-${nonce}'`);
    expect(prod.get("script-src")).not.toContain("'unsafe-inline'");
    expect(prod.get("script-src")).not.toContain("'unsafe-eval'");
    expect(contentSecurityPolicy(nonce, { dev: false })).not.toContain("unsafe-inline");
  });

  it("forbids framing, plugins and base tags", () => {
    expect(prod.get("frame-ancestors")).toEqual(["'none'"]);
    expect(prod.get("object-src")).toEqual(["'none'"]);
    expect(prod.get("base-uri")).toEqual(["'none'"]);
    expect(prod.get("default-src")).toEqual(["'self'"]);
  });

  it("uses a fresh nonce each time it is given one", () => {
    const first = contentSecurityPolicy("Zmlyc3Q", { dev: false });
    const second = contentSecurityPolicy("c2Vjb25k", { dev: false });
    expect(second).not.toBe(first);
    expect(second).not.toContain("Zmlyc3Q");
  });

  it("allows eval only in development (React's dev tooling needs it)", () => {
    const dev = directives(contentSecurityPolicy(nonce, { dev: true }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(dev.get("script-src")).not.toContain("'unsafe-inline'");
    expect(dev.get("frame-ancestors")).toEqual(["'none'"]);
  });
});

describe("contentSecurityPolicy of the development mailbox's email page", () => {
  const nonce = "bm9uY2Utdmk4eA==";
  const email = directives(contentSecurityPolicy(nonce, { dev: false, showsEmail: true }));

  it("lets the email's inline styles and remote images show, and keeps scripts to the nonce", () => {
    expect(email.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(email.get("img-src")).toContain("https:");
    expect(email.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(email.get("frame-ancestors")).toEqual(["'none'"]);
    expect(email.get("object-src")).toEqual(["'none'"]);
  });
});

describe("baseSecurityHeaders", () => {
  it("sets the baseline headers", () => {
    const headers = baseSecurityHeaders({ https: false });
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["X-Frame-Options"]).toBe("DENY");
    expect(headers["Referrer-Policy"]).toBe("same-origin");
  });

  it("sends HSTS only under https", () => {
    expect(baseSecurityHeaders({ https: false })).not.toHaveProperty("Strict-Transport-Security");
    expect(baseSecurityHeaders({ https: true })["Strict-Transport-Security"]).toMatch(/^max-age=\d{8,}/);
  });
});
