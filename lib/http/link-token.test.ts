import { describe, expect, it } from "vitest";
import { linkTokenMove } from "./link-token";

const at = (path: string) => new URL(`http://portal.test${path}`);

describe("moving a link's token out of the address", () => {
  it("moves the token of a link page into the cookie and keeps the rest of the query", () => {
    expect(linkTokenMove(at("/acme/verify-email?token=abc_DEF-123&lang=fr"))).toEqual({
      page: "verify-email",
      token: "abc_DEF-123",
      location: "/acme/verify-email?lang=fr",
    });
    expect(linkTokenMove(at("/acme/verify-email?token=abc"))?.location).toBe("/acme/verify-email");
  });

  it("leaves other pages, and link pages without a token, alone", () => {
    expect(linkTokenMove(at("/acme/login?token=abc"))).toBeNull();
    expect(linkTokenMove(at("/acme/verify-email"))).toBeNull();
    expect(linkTokenMove(at("/acme/verify-email/confirmed?token=abc"))).toBeNull();
    expect(linkTokenMove(at("/verify-email?token=abc"))).toBeNull();
  });

  it("never stores a malformed token (it is cleared, and the page says the link is no good)", () => {
    expect(linkTokenMove(at("/acme/verify-email?token=%3Cscript%3E"))).toMatchObject({ token: null });
    expect(linkTokenMove(at(`/acme/verify-email?token=${"a".repeat(300)}`))).toMatchObject({ token: null });
    expect(linkTokenMove(at("/acme/verify-email?token="))).toMatchObject({ token: null });
  });
});
