import { describe, expect, it } from "vitest";
import { nulCharacterError } from "./nul-character";

const fieldsOf = (value: unknown) => nulCharacterError(value)?.fields.map((f) => `${f.field}:${f.code}`);

describe("nulCharacterError", () => {
  it("names the first field holding a NUL, nested paths dotted like zod's", () => {
    expect(fieldsOf({ name: "a\u0000b" })).toEqual(["name:field.invalid"]);
    expect(fieldsOf({ settings: { email_from: "\u0000" } })).toEqual(["settings.email_from:field.invalid"]);
    expect(fieldsOf({ redirect_uris: ["https://ok.example", "x\u0000"] })).toEqual([
      "redirect_uris.1:field.invalid",
    ]);
  });

  it("finds one in a key, and in a bare string body", () => {
    expect(fieldsOf({ "na\u0000me": "x" })).toEqual(["na\\0me:field.invalid"]);
    expect(fieldsOf("\u0000")).toEqual(["body:field.invalid"]);
  });

  it("is a 422 validation error", () => {
    expect(nulCharacterError({ a: "\u0000" })?.status).toBe(422);
  });

  it("is null for anything else, lone surrogates and other control characters included", () => {
    for (const value of [
      { name: "ok" },
      { a: ["\ud800", "\u0001", 1, null, true] },
      null,
      0,
      "%00",
      "\\u0000",
    ])
      expect(nulCharacterError(value)).toBeNull();
  });
});
