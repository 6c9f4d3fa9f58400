import { describe, expect, it } from "vitest";
import { csrfCookie, deviceCookie, deviceCookiesOf, isSecureUrl, sessionCookie } from "./cookies";

describe("cookies", () => {
  it("uses the __Host- prefix and Secure under https", () => {
    const session = sessionCookie("rl_1", "https://login.example.com", 3600);
    expect(session).toEqual({
      name: "__Host-gh_session_rl_1",
      options: { httpOnly: true, secure: true, sameSite: "lax", path: "/", maxAge: 3600 },
    });
    const csrf = csrfCookie("https://login.example.com");
    expect(csrf.name).toBe("__Host-gh_csrf");
    expect(csrf.options).toEqual({ httpOnly: true, secure: true, sameSite: "lax", path: "/" });
  });

  it("drops the prefix and Secure under plain http (browsers refuse __Host- without Secure)", () => {
    const session = sessionCookie("rl_1", "http://localhost:3000");
    expect(session.name).toBe("gh_session_rl_1");
    expect(session.options.secure).toBe(false);
    expect(session.options.httpOnly).toBe(true);
    expect(session.options.maxAge).toBeUndefined();
    expect(csrfCookie("http://localhost:3000").name).toBe("gh_csrf");
    expect(csrfCookie("http://localhost:3000").options.secure).toBe(false);
  });

  it("keeps every cookie on Path=/ with no Domain, as __Host- requires", () => {
    for (const spec of [sessionCookie("rl_1", "https://a.example"), csrfCookie("https://a.example")]) {
      expect(spec.options.path).toBe("/");
      expect(spec.options).not.toHaveProperty("domain");
    }
  });

  it("keeps each realm's session cookie apart", () => {
    expect(sessionCookie("rl_a", "https://x.example").name).not.toBe(
      sessionCookie("rl_b", "https://x.example").name,
    );
  });

  it("decides https from the scheme only", () => {
    expect(isSecureUrl("https://login.example.com")).toBe(true);
    expect(isSecureUrl("HTTPS://login.example.com")).toBe(true);
    expect(isSecureUrl("http://login.example.com")).toBe(false);
    expect(isSecureUrl("http://https.example.com")).toBe(false);
  });

  it("keeps the device cookie per realm for 400 days, HttpOnly, and __Host- under https", () => {
    expect(deviceCookie("rl_1", "https://login.example.com")).toEqual({
      name: "__Host-gh_device_rl_1",
      options: { httpOnly: true, secure: true, sameSite: "lax", path: "/", maxAge: 400 * 86_400 },
    });
    expect(deviceCookie("rl_1", "http://localhost:3000").name).toBe("gh_device_rl_1");
  });

  it("reads the device cookies of a request by realm, only under the name the scheme demands", () => {
    const jar = [
      { name: "__Host-gh_device_rl_a", value: "secret-a" },
      { name: "gh_device_rl_b", value: "planted-by-a-sibling" },
      { name: "__Host-gh_device_rl_c", value: "x".repeat(129) },
      { name: "__Host-gh_device_../x", value: "odd" },
      { name: "__Host-gh_session_rl_a", value: "session" },
    ];
    expect(deviceCookiesOf(jar, "https://login.example.com")).toEqual({ rl_a: "secret-a" });
    expect(deviceCookiesOf(jar, "http://localhost:3000")).toEqual({ rl_b: "planted-by-a-sibling" });
  });
});
