import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isAppError } from "./app-error";
import { fieldErrorsFromIssue, parseOrThrow } from "./zod";

function fieldErrors(schema: z.ZodType, input: unknown, reportInput = false) {
  const result = schema.safeParse(input, { reportInput });
  if (result.success) throw new Error("expected a failure");
  return result.error.issues.flatMap(fieldErrorsFromIssue);
}

const profile = z
  .object({
    name: z.string().max(5),
    nick: z.string().min(2),
    email: z.email("email.invalid"),
    bio: z.string().max(10, "field.too_long"),
    age: z.number().optional(),
    address: z.object({ city: z.string() }).optional(),
  })
  .strict();

const valid = { name: "Ann", nick: "an", email: "a@b.co", bio: "hi" };

/** The fields of the 422 that parseOrThrow raises (the path every API and form error takes). */
function parseErrors(schema: z.ZodType, input: unknown) {
  try {
    parseOrThrow(schema, input);
  } catch (error) {
    return (error as { fields: unknown[] }).fields;
  }
  return [];
}

describe("fieldErrorsFromIssue", () => {
  it("maps a missing key to field.required", () => {
    expect(fieldErrors(profile, { ...valid, name: undefined })).toEqual([
      { field: "name", code: "field.required", params: { expected: "string" } },
    ]);
  });

  it("maps zod's too_big and too_small to too_long / too_short with max / min", () => {
    expect(fieldErrors(profile, { ...valid, name: "abcdef" })).toEqual([
      { field: "name", code: "field.too_long", params: { max: 5 } },
    ]);
    expect(fieldErrors(profile, { ...valid, nick: "a" })).toEqual([
      { field: "nick", code: "field.too_short", params: { min: 2 } },
    ]);
  });

  it("uses a catalogue code given as the message, with its params", () => {
    expect(fieldErrors(profile, { ...valid, email: "not-an-email" })).toEqual([
      { field: "email", code: "email.invalid", params: {} },
    ]);
    expect(fieldErrors(profile, { ...valid, bio: "x".repeat(11) })).toEqual([
      { field: "bio", code: "field.too_long", params: { max: 10 } },
    ]);
  });

  it("names each unknown key as its own field.unknown at its own path", () => {
    expect(parseErrors(profile, { ...valid, role: "admin", extra: 1 })).toEqual([
      { field: "role", code: "field.unknown" },
      { field: "extra", code: "field.unknown" },
    ]);
    const nested = z.strictObject({ settings: z.strictObject({ a: z.number().optional() }) });
    expect(parseErrors(nested, { settings: { nope: 1 } })).toEqual([
      { field: "settings.nope", code: "field.unknown" },
    ]);
  });

  it("words size limits by kind: characters for strings, numbers for numbers, items for lists", () => {
    const limits = z.object({
      n: z.number().min(5).max(15),
      list: z.array(z.string()).max(1),
      s: z.string().max(2),
    });
    expect(parseErrors(limits, { n: 99, list: ["a", "b"], s: "abc" })).toEqual([
      { field: "n", code: "number.too_big", params: { max: 15 } },
      { field: "list", code: "list.too_long", params: { max: 1 } },
      { field: "s", code: "field.too_long", params: { max: 2 } },
    ]);
    expect(parseErrors(limits, { n: 0, list: [], s: "" })).toEqual([
      { field: "n", code: "number.too_small", params: { min: 5 } },
    ]);
  });

  it("joins nested paths with dots and names a root issue `_`", () => {
    expect(fieldErrors(profile, { ...valid, address: {} })).toEqual([
      { field: "address.city", code: "field.required", params: { expected: "string" } },
    ]);
    expect(fieldErrors(z.string().max(1), "ab")).toEqual([
      { field: "_", code: "field.too_long", params: { max: 1 } },
    ]);
  });

  it("maps other zod issues to field.invalid", () => {
    expect(fieldErrors(z.enum(["a", "b"]), "c")[0]?.code).toBe("field.invalid");
  });

  it("maps a present value of the wrong type to field.invalid_type when zod reports the input", () => {
    expect(fieldErrors(profile, { ...valid, age: "12" }, true)).toEqual([
      { field: "age", code: "field.invalid_type", params: { expected: "number" } },
    ]);
  });

  // Regression: zod 4 drops `issue.input` unless parsing with `reportInput: true`, which made every
  // wrong-type value in the API read as field.required ("Enter your age.").
  it("parseOrThrow reports a present value of the wrong type as field.invalid_type", () => {
    expect(() => parseOrThrow(profile, { ...valid, age: "12" })).toThrow(
      expect.objectContaining({
        fields: [{ field: "age", code: "field.invalid_type", params: { expected: "number" } }],
      }),
    );
  });
});

describe("parseOrThrow", () => {
  it("returns the parsed data", () => {
    expect(parseOrThrow(profile, valid)).toEqual(valid);
  });

  it("throws a 422 validation.failed listing every failing field", () => {
    let caught: unknown;
    try {
      parseOrThrow(profile, { ...valid, name: "abcdef", email: "x" });
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught)).toBe(true);
    if (!isAppError(caught)) return;
    expect(caught.code).toBe("validation.failed");
    expect(caught.status).toBe(422);
    expect(caught.fields.map((f) => `${f.field}:${f.code}`)).toEqual([
      "name:field.too_long",
      "email:email.invalid",
    ]);
  });
});

describe("parseOrThrow with extra errors", () => {
  const fieldsOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (isAppError(error)) return { status: error.status, fields: error.fields };
      throw error;
    }
    return null;
  };

  it("puts the schema's errors and the extra ones into one 422, without repeats", () => {
    const result = fieldsOf(() =>
      parseOrThrow(profile, { ...valid, name: "abcdef" }, [
        { field: "name", code: "field.too_long", params: { max: 5 } },
        { field: "name", code: "password.too_common" },
      ]),
    );
    expect(result?.status).toBe(422);
    expect(result?.fields.map((f) => `${f.field}:${f.code}`)).toEqual([
      "name:field.too_long",
      "name:password.too_common",
    ]);
  });

  it("throws for extra errors alone, though the schema passes", () => {
    const result = fieldsOf(() => parseOrThrow(profile, valid, [{ field: "name", code: "password.reused" }]));
    expect(result).toEqual({ status: 422, fields: [{ field: "name", code: "password.reused" }] });
  });
});
