import { describe, expect, it } from "vitest";
import { resetLanding } from "./reset-landing";

const secret = "q3Zb8m0n_Yx-7c1tVq9wE2rT4uI6oP8aS0dF2gH4jK6";
const at = (path: string) => new URL(path, "http://evil.example:9999");

describe("the landing of a reset link", () => {
  it("moves the secret into a cookie scoped to the realm's reset page and goes on to the clean address", () => {
    const landing = resetLanding("GET", at(`/acme/reset?token=${secret}`), "https://login.example.com");
    expect(landing).toEqual({
      // Built from PUBLIC_URL: the request's own host plays no part.
      location: "https://login.example.com/acme/reset",
      secret,
      cookie: {
        name: "__Secure-gh_reset",
        options: { httpOnly: true, secure: true, sameSite: "lax", path: "/acme/reset", maxAge: 3600 },
      },
    });
  });

  it("uses an unprefixed, non-Secure cookie under plain http", () => {
    const landing = resetLanding("HEAD", at(`/acme/reset?token=${secret}`), "http://localhost:3000");
    expect(landing?.cookie.name).toBe("gh_reset");
    expect(landing?.cookie.options.secure).toBe(false);
    expect(landing?.location).toBe("http://localhost:3000/acme/reset");
  });

  it("clears the cookie for a value that cannot be a link secret (the page then says the link is dead)", () => {
    for (const token of ["", "short", `${secret}<script>`, "a".repeat(129)])
      expect(
        resetLanding("GET", at(`/acme/reset?token=${encodeURIComponent(token)}`), "http://x")?.secret,
      ).toBeNull();
  });

  it("leaves everything else alone: other methods, other pages, no token, odd slugs", () => {
    expect(resetLanding("POST", at(`/acme/reset?token=${secret}`), "http://x")).toBeNull();
    expect(resetLanding("GET", at("/acme/reset"), "http://x")).toBeNull();
    expect(resetLanding("GET", at(`/acme/login?token=${secret}`), "http://x")).toBeNull();
    expect(resetLanding("GET", at(`/acme/reset/more?token=${secret}`), "http://x")).toBeNull();
    expect(resetLanding("GET", at(`/Acme%2F/reset?token=${secret}`), "http://x")).toBeNull();
    expect(resetLanding("GET", at(`/a/b/reset?token=${secret}`), "http://x")).toBeNull();
  });
});
