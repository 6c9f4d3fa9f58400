import { describe, expect, it } from "vitest";
import type { FieldError } from "@/lib/errors";
import { readThemeTokens } from "@/lib/themes";
import { MAX_SAMPLE_VALUE, overrideSample } from "./sample-override";
import { sampleVars, templateTheme } from "./variables";

const base = sampleVars("new_device", {
  realm: { name: "Acme", url: "https://login.acme.test/acme" },
  now: new Date("2025-03-04T10:20:00Z"),
  theme: templateTheme(readThemeTokens({})),
});

function apply(override: unknown) {
  const errors: FieldError[] = [];
  return { vars: overrideSample(base, override, errors), errors };
}

describe("preview sample overrides", () => {
  it("changes the values given and keeps the rest", () => {
    const { vars, errors } = apply({
      user: { first_name: "Grace", last_name: null },
      device: { os: "Linux" },
    });
    expect(errors).toEqual([]);
    expect(vars.user).toEqual({ ...base.user, first_name: "Grace", last_name: null });
    expect(vars.device).toEqual({ ...base.device, os: "Linux" });
    expect(vars.realm).toBe(base.realm);
  });

  it("lets app be null, to see the email without an app, but not other objects", () => {
    expect(apply({ app: null })).toEqual({ vars: { ...base, app: null }, errors: [] });
    expect(apply({ user: null }).errors).toEqual([
      { field: "sample.user", code: "field.invalid_type", params: { expected: "object" } },
    ]);
  });

  it("names each unknown, mistyped or overlong value at its path", () => {
    const { errors } = apply({
      user: { nickname: "x", email: ["a"] },
      device: { ip: "x".repeat(MAX_SAMPLE_VALUE + 1) },
      ["__proto__"]: { polluted: true },
      link: "https://x",
    });
    expect(errors).toEqual([
      { field: "sample.user.nickname", code: "field.unknown" },
      { field: "sample.user.email", code: "field.invalid_type", params: { expected: "string" } },
      { field: "sample.device.ip", code: "field.too_long", params: { max: MAX_SAMPLE_VALUE } },
      { field: "sample.__proto__", code: "field.unknown" },
      { field: "sample.link", code: "field.unknown" },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a sample that is not an object", () => {
    expect(apply("Ada").errors).toEqual([
      { field: "sample", code: "field.invalid_type", params: { expected: "object" } },
    ]);
  });
});
