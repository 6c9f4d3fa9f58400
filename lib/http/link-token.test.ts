import { describe, expect, it } from "vitest";
import { LINK_TOKEN_SECONDS, linkTokenMove } from "./link-token";

const at = (path: string) => new URL(`http://portal.test${path}`);
const secret = "q3X_h-9".padEnd(43, "a");

describe("moving a link's secret out of the address", () => {
  it("moves the secret of a reset link into a __Host- cookie of that page and realm, and goes on without it", () => {
    const move = linkTokenMove("GET", at(`/acme/reset?token=${secret}`), "https://login.example.com");
    expect(move).toEqual({
      page: "reset",
      location: "https://login.example.com/acme/reset",
      token: secret,
      cookie: {
        name: "__Host-gh_link_reset_acme",
        options: {
          httpOnly: true,
          secure: true,
          sameSite: "lax",
          path: "/",
          maxAge: LINK_TOKEN_SECONDS.reset,
        },
      },
    });
  });

  it("keeps the rest of the query, builds the address from PUBLIC_URL (with its path), never the Host", () => {
    const move = linkTokenMove(
      "HEAD",
      at(`/acme/verify-email?token=${secret}&lang=fr`),
      "http://id.test/portal",
    );
    expect(move?.location).toBe("http://id.test/portal/acme/verify-email?lang=fr");
    expect(move?.cookie.name).toBe("gh_link_verify-email_acme");
    expect(move?.cookie.options).toMatchObject({ secure: false, path: "/" });
  });

  it("leaves other pages, other methods and link pages without a token alone", () => {
    const none = (method: string, path: string) => linkTokenMove(method, at(path), "http://x");
    expect(none("POST", `/acme/reset?token=${secret}`)).toBeNull();
    expect(none("GET", "/acme/reset")).toBeNull();
    expect(none("GET", `/acme/login?token=${secret}`)).toBeNull();
    expect(none("GET", `/acme/reset/more?token=${secret}`)).toBeNull();
    expect(none("GET", `/acme/verify-email/confirmed?token=${secret}`)).toBeNull();
    expect(none("GET", `/verify-email?token=${secret}`)).toBeNull();
    expect(none("GET", `/Acme%2F/reset?token=${secret}`)).toBeNull();
    expect(none("GET", `/a/b/reset?token=${secret}`)).toBeNull();
  });

  it("never stores a malformed secret: the cookie is cleared and the page says the link is no good", () => {
    for (const token of ["%3Cscript%3E", "a".repeat(300), "", "short"]) {
      expect(linkTokenMove("GET", at(`/acme/verify-email?token=${token}`), "http://x")).toMatchObject({
        token: null,
      });
    }
  });
});
