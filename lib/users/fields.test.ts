import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { fieldErrorsFromIssue } from "@/lib/errors";
import {
  currentPasswordSchema,
  emailSchema,
  isWellFormedUsername,
  loginIdentifierSchema,
  nameFieldSchema,
  newPasswordSchema,
  usernameSchema,
} from "./fields";

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

  // Regression: `"email": 42` through the API used to say "This field is required".
  it("tells a value of another type from a missing one", () => {
    const result = emailSchema.safeParse(42, { reportInput: true });
    expect(result.error?.issues.flatMap(fieldErrorsFromIssue).map((e) => e.code)).toEqual([
      "field.invalid_type",
    ]);
    const username = usernameSchema.safeParse(["alice"], { reportInput: true });
    expect(username.error?.issues.flatMap(fieldErrorsFromIssue).map((e) => e.code)).toEqual([
      "field.invalid_type",
    ]);
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

describe("usernameSchema", () => {
  it("normalises like an email: NFKC, trimmed, lower case", () => {
    expect(usernameSchema.parse("  Alice ")).toBe("alice");
    expect(usernameSchema.parse("Ａｌｉｃｅ")).toBe("alice"); // full-width letters
    expect(usernameSchema.parse("ALICE_Smith-2.0")).toBe("alice_smith-2.0");
    // A precomposed and a decomposed "é" are one username.
    expect(usernameSchema.parse("Ren\u00e9")).toBe(usernameSchema.parse("Rene\u0301"));
  });

  it.each(["zoë", "jürgen", "renée", "Мария", "山田太郎", "देवनागरी", "ab", "a1", "x".repeat(64)])(
    "accepts %j (Unicode letters with their marks, digits)",
    (input) => {
      expect(usernameSchema.safeParse(input).success).toBe(true);
    },
  );

  it.each([
    ["one character", "a"],
    ["65 characters", "x".repeat(65)],
    ["an email address", "alice@example.com"],
    ["an at sign anywhere", "alice@home"],
    ["a space inside", "alice smith"],
    ["a leading dot", ".alice"],
    ["a trailing hyphen", "alice-"],
    ["a leading underscore", "_alice"],
    ["a slash", "alice/bob"],
    ["a plus", "alice+x"],
    ["an emoji", "alice😀"],
    ["a control character", "ali\u0000ce"],
    ["a zero-width joiner", "ali\u200dce"],
  ])("refuses %s as username.invalid", (_label, input) => {
    expect(codes(usernameSchema, input)).toEqual(["username.invalid"]);
  });

  it("asks for a value when empty, blank or missing; bounds raw input", () => {
    expect(codes(usernameSchema, "")).toEqual(["field.required"]);
    expect(codes(usernameSchema, "   ")).toEqual(["field.required"]);
    expect(codes(usernameSchema, undefined)).toEqual(["field.required"]);
    expect(codes(usernameSchema, "x".repeat(257))).toEqual(["field.too_long"]);
  });

  it("counts length in characters, not UTF-16 units", () => {
    const astral = "\u{20000}"; // a CJK ideograph outside the BMP: one letter, two UTF-16 units
    expect(isWellFormedUsername(astral.repeat(64))).toBe(true);
    expect(isWellFormedUsername(astral.repeat(65))).toBe(false);
    expect(isWellFormedUsername(astral)).toBe(false);
  });
});

describe("loginIdentifierSchema", () => {
  it("takes an email or a username, normalised the way both are stored", () => {
    expect(loginIdentifierSchema.parse(" Ａlice@Example.COM ")).toBe("alice@example.com");
    expect(loginIdentifierSchema.parse("ＡＬＩＣＥ")).toBe("alice");
  });

  it("only requires a bounded value", () => {
    expect(codes(loginIdentifierSchema, " ")).toEqual(["field.required"]);
    expect(codes(loginIdentifierSchema, "x".repeat(255))).toEqual(["field.too_long"]);
  });
});
