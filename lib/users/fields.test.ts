import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { fieldErrorsFromIssue } from "@/lib/errors";
import { currentPasswordSchema, emailSchema, nameFieldSchema, newPasswordSchema } from "./fields";

function codes(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.flatMap(fieldErrorsFromIssue).map((e) => e.code);
}

describe("emailSchema", () => {
  it("normalises with NFKC, trims and lower-cases", () => {
    expect(emailSchema.parse("ＡＢＣ@Example.COM ")).toBe("abc@example.com");
    expect(emailSchema.parse("  Ann.Lee+x@Mail.Example.org\t")).toBe("ann.lee+x@mail.example.org");
  });

  it.each(["not-an-email", "a@", "@example.com", "a b@example.com", "a@example", "<a@example.com>"])(
    "refuses %j as email.invalid",
    (input) => {
      expect(codes(emailSchema, input)).toEqual(["email.invalid"]);
    },
  );

  it("asks for a value when empty, blank or missing", () => {
    expect(codes(emailSchema, "")).toEqual(["field.required"]);
    expect(codes(emailSchema, "   ")).toEqual(["field.required"]);
    expect(codes(emailSchema, undefined)).toEqual(["field.required"]);
  });

  it("refuses an address over 254 characters as field.too_long", () => {
    const at254 = `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(58)}.io`;
    expect(at254).toHaveLength(254);
    expect(emailSchema.parse(at254)).toBe(at254);
    expect(codes(emailSchema, `x${at254}`)).toEqual(["field.too_long"]);
  });

  // Regression: the limit used to be checked only before NFKC, which can expand a string.
  it("applies the length limit after normalisation too", () => {
    const expanding = `${"\ufb03".repeat(100)}@example.com`; // 112 characters in, 312 after NFKC
    expect(expanding.length).toBeLessThan(254);
    expect(codes(emailSchema, expanding)).toEqual(["field.too_long"]);
  });
});

describe("newPasswordSchema", () => {
  const schema = newPasswordSchema({ min: 8, max: 12 });

  it("accepts lengths within the policy, bounds included", () => {
    expect(schema.parse("12345678")).toBe("12345678");
    expect(schema.parse("123456789012")).toBe("123456789012");
  });

  it("reports password.too_short and password.too_long with the limit", () => {
    const short = schema.safeParse("1234567");
    expect(short.error?.issues.flatMap(fieldErrorsFromIssue)).toEqual([
      { field: "_", code: "password.too_short", params: { min: 8 } },
    ]);
    const long = schema.safeParse("1234567890123");
    expect(long.error?.issues.flatMap(fieldErrorsFromIssue)).toEqual([
      { field: "_", code: "password.too_long", params: { max: 12 } },
    ]);
  });

  it("asks for a value when empty or missing, and says nothing else about an empty one", () => {
    expect(codes(schema, "")).toEqual(["field.required"]);
    expect(codes(schema, undefined)).toEqual(["field.required"]);
  });

  it("does not trim (spaces are part of a password)", () => {
    expect(schema.parse("  pass  ")).toBe("  pass  ");
  });
});

describe("currentPasswordSchema and nameFieldSchema", () => {
  it("does not judge a login password by policy, only bounds it", () => {
    expect(currentPasswordSchema.parse("x")).toBe("x");
    expect(codes(currentPasswordSchema, "")).toEqual(["field.required"]);
    expect(codes(currentPasswordSchema, "x".repeat(1025))).toEqual(["field.too_long"]);
  });

  it("trims names and bounds them at 100 characters", () => {
    expect(nameFieldSchema.parse("  Ann  ")).toBe("Ann");
    expect(codes(nameFieldSchema, "n".repeat(101))).toEqual(["field.too_long"]);
  });
});
