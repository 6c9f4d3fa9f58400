import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { fieldErrorsFromIssue } from "@/lib/errors";
import { loginFormSchema, loginFormSchemaFor, type SignupPolicy, signupFormSchema } from "./forms";

function fieldCodes(schema: z.ZodType, input: unknown): Record<string, string[]> {
  const result = schema.safeParse(input);
  const out: Record<string, string[]> = {};
  if (result.success) return out;
  for (const { field, code } of result.error.issues.flatMap(fieldErrorsFromIssue)) {
    out[field] = [...(out[field] ?? []), code];
  }
  return out;
}

const policy = (names: SignupPolicy["names"]): SignupPolicy => ({ passwordMin: 10, passwordMax: 64, names });
const base = { email: " New.User@Example.COM", password: "long enough pw" };

describe("loginFormSchema", () => {
  it("normalises the email and keeps the password as typed", () => {
    expect(loginFormSchema.parse({ email: "Ａnn@Example.com", password: " pw " })).toEqual({
      email: "ann@example.com",
      password: " pw ",
    });
  });

  it("does not apply the signup policy to a login password", () => {
    expect(loginFormSchema.safeParse({ email: "a@b.co", password: "1" }).success).toBe(true);
  });

  it("reports each missing field", () => {
    expect(fieldCodes(loginFormSchema, {})).toEqual({
      email: ["field.required"],
      password: ["field.required"],
    });
    expect(fieldCodes(loginFormSchema, { email: "nope", password: "" })).toEqual({
      email: ["email.invalid"],
      password: ["field.required"],
    });
  });
});

describe("signupFormSchema", () => {
  it("applies the realm's password length policy", () => {
    const schema = signupFormSchema(policy("optional"));
    expect(fieldCodes(schema, { ...base, password: "123456789" })).toEqual({
      password: ["password.too_short"],
    });
    expect(fieldCodes(schema, { ...base, password: "x".repeat(65) })).toEqual({
      password: ["password.too_long"],
    });
    expect(schema.parse(base).email).toBe("new.user@example.com");
  });

  it("requires names when the realm requires them", () => {
    const schema = signupFormSchema(policy("required"));
    expect(fieldCodes(schema, base)).toEqual({
      first_name: ["field.required"],
      last_name: ["field.required"],
    });
    expect(fieldCodes(schema, { ...base, first_name: "   ", last_name: "Lee" })).toEqual({
      first_name: ["field.required"],
    });
    expect(schema.parse({ ...base, first_name: " Ann ", last_name: "Lee" })).toMatchObject({
      first_name: "Ann",
      last_name: "Lee",
    });
  });

  it("lets names be left out when optional", () => {
    const schema = signupFormSchema(policy("optional"));
    expect(schema.safeParse(base).success).toBe(true);
    expect(schema.parse({ ...base, first_name: " Ann " }).first_name).toBe("Ann");
    expect(fieldCodes(schema, { ...base, last_name: "n".repeat(101) })).toEqual({
      last_name: ["field.too_long"],
    });
  });

  it("accepts no names when they are off", () => {
    const schema = signupFormSchema(policy("off"));
    const parsed = schema.parse(base);
    expect(parsed.first_name).toBeUndefined();
    expect(parsed.last_name).toBeUndefined();
    expect(schema.safeParse({ ...base, first_name: "Ann" }).success).toBe(false);
  });
});

describe("loginFormSchemaFor", () => {
  it("asks for an email address when the email is the username", () => {
    const schema = loginFormSchemaFor("email");
    expect(fieldCodes(schema, { email: "alice", password: "pw" })).toEqual({ email: ["email.invalid"] });
  });

  it("takes an email or a username in one field when usernames are separate", () => {
    const schema = loginFormSchemaFor("separate");
    expect(schema.parse({ email: " ＡLICE ", password: "pw" })).toEqual({ email: "alice", password: "pw" });
    expect(schema.parse({ email: "Alice@Example.com", password: "pw" }).email).toBe("alice@example.com");
    expect(fieldCodes(schema, { email: "", password: "" })).toEqual({
      email: ["field.required"],
      password: ["field.required"],
    });
  });
});

describe("signupFormSchema with usernames", () => {
  const separate: SignupPolicy = { ...policy("optional"), usernameMode: "separate" };

  it("requires a well-formed username and normalises it", () => {
    const schema = signupFormSchema(separate);
    expect(fieldCodes(schema, base)).toEqual({ username: ["field.required"] });
    expect(fieldCodes(schema, { ...base, username: "a@b.co" })).toEqual({ username: ["username.invalid"] });
    expect(schema.parse({ ...base, username: " Ｇrace.H " }).username).toBe("grace.h");
  });

  it("has no username field when the email is the username", () => {
    const schema = signupFormSchema(policy("optional"));
    expect(schema.parse(base).username).toBeUndefined();
    expect(schema.safeParse({ ...base, username: "grace" }).success).toBe(false);
  });
});
