import { describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER, requestContext } from "./request-context";

describe("requestContext", () => {
  it("takes the address scripts/serve.mjs determined, never the client's x-forwarded-for", () => {
    const headers = new Headers({ [CLIENT_IP_HEADER]: "198.51.100.4", "x-forwarded-for": "203.0.113.66" });
    expect(requestContext(headers).ip).toBe("198.51.100.4");
  });

  it("an empty address from the server layer stays unknown instead of trusting x-forwarded-for", () => {
    const headers = new Headers({ [CLIENT_IP_HEADER]: "", "x-forwarded-for": "203.0.113.66" });
    expect(requestContext(headers).ip).toBeNull();
  });

  it("without the server layer (next dev) guesses the right-most x-forwarded-for entry", () => {
    expect(requestContext(new Headers({ "x-forwarded-for": "1.2.3.4, 203.0.113.66" })).ip).toBe(
      "203.0.113.66",
    );
    expect(requestContext(new Headers()).ip).toBeNull();
  });

  it("bounds what it keeps", () => {
    const ctx = requestContext(
      new Headers({ [CLIENT_IP_HEADER]: "x".repeat(100), "user-agent": "u".repeat(600) }),
    );
    expect(ctx.ip).toHaveLength(64);
    expect(ctx.userAgent).toHaveLength(512);
  });
});
