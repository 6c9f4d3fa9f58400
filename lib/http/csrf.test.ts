import { describe, expect, it } from "vitest";
import { isCsrfTokenShape, newCsrfToken, verifyCsrf } from "./csrf";

describe("CSRF tokens", () => {
  it("makes 32-character URL-safe tokens that differ each time", () => {
    const a = newCsrfToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(isCsrfTokenShape(a)).toBe(true);
    expect(newCsrfToken()).not.toBe(a);
  });

  it("verifies a form value equal to the cookie", () => {
    const token = newCsrfToken();
    expect(verifyCsrf(token, token)).toBe(true);
  });

  it("refuses a different token of the right shape", () => {
    expect(verifyCsrf(newCsrfToken(), newCsrfToken())).toBe(false);
  });

  it.each([
    ["a missing form value", undefined],
    ["an empty form value", ""],
    ["a File-like value", { name: "x" }],
    ["an array", ["a"]],
  ])("refuses %s", (_label, fromForm) => {
    expect(verifyCsrf(fromForm, newCsrfToken())).toBe(false);
  });

  it("refuses when the cookie is missing, even if the form value is empty too", () => {
    expect(verifyCsrf(undefined, undefined)).toBe(false);
    expect(verifyCsrf("", undefined)).toBe(false);
    expect(verifyCsrf("", "")).toBe(false);
  });

  it("refuses equal values that are not token-shaped", () => {
    for (const value of [
      "short",
      "x".repeat(31),
      "x".repeat(33),
      `${"x".repeat(31)}=`,
      `${"x".repeat(31)}+`,
    ]) {
      expect(verifyCsrf(value, value)).toBe(false);
    }
  });
});
