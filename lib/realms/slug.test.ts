import { describe, expect, it } from "vitest";
import { realmSlugSchema } from "./slug";

const codeOf = (input: unknown) => {
  const result = realmSlugSchema.safeParse(input);
  return result.success ? `ok:${result.data}` : result.error.issues.map((i) => i.message).join(",");
};

describe("realmSlugSchema", () => {
  it.each(["acme", "ab", "a1", "acme-corp", "x2-y3", "a".repeat(40)])("accepts %j", (slug) => {
    expect(codeOf(slug)).toBe(`ok:${slug}`);
  });

  it("trims and lower-cases", () => {
    expect(codeOf("Acme")).toBe("ok:acme");
    expect(codeOf("  ACME-Corp ")).toBe("ok:acme-corp");
  });

  it.each([
    "a",
    "a".repeat(41),
    "1acme",
    "-acme",
    "acme_corp",
    "acme.corp",
    "acme corp",
    "acme/x",
    "äcme",
    "",
    "../admin",
  ])("refuses %j as slug.invalid", (slug) => {
    expect(codeOf(slug)).toBe("slug.invalid");
  });

  it.each([
    "api",
    "admin",
    "login",
    "signup",
    "logout",
    "connect",
    "health",
    "assets",
    "dev",
    "API",
    " Admin ",
  ])("refuses the reserved %j", (slug) => {
    expect(codeOf(slug)).toBe("slug.reserved");
  });

  it("refuses non-strings", () => {
    expect(realmSlugSchema.safeParse(42).success).toBe(false);
  });
});

describe("realmSlugSchema: edges", () => {
  it("refuses a trailing hyphen and accepts a two-character slug", () => {
    expect(realmSlugSchema.safeParse("acme-").success).toBe(false);
    expect(realmSlugSchema.safeParse("a1").success).toBe(true);
  });
});
