import { describe, expect, it } from "vitest";
import { z } from "zod";
import { actionFormResolver, clientErrorItems } from "./use-action-form";

const schema = z.object({
  email: z.email("email.invalid"),
  password: z.string().min(1, { error: "field.required", abort: true }).min(8, "password.too_short"),
});
type Values = z.input<typeof schema>;

const run = (resolver: ReturnType<typeof actionFormResolver<Values>>, values: Values) =>
  resolver(values, undefined, { fields: {}, shouldUseNativeValidation: false });

describe("actionFormResolver", () => {
  it("passes valid values through", async () => {
    const result = await run(actionFormResolver<Values>(schema), {
      email: "a@b.co",
      password: "long-enough",
    });
    expect(result).toEqual({ values: { email: "a@b.co", password: "long-enough" }, errors: {} });
  });

  it("puts the schema's and the extra check's errors of a field together, with the server's codes and params", async () => {
    const resolver = actionFormResolver<Values>(schema, (values) =>
      values.password === "letmein"
        ? [
            { field: "password", code: "password.too_short", params: { min: 12 } },
            { field: "password", code: "password.too_common" },
          ]
        : [],
    );
    const result = await run(resolver, { email: "nope", password: "letmein" });
    expect(clientErrorItems(result.errors.email)).toEqual([{ code: "email.invalid", params: {} }]);
    // The schema's own too_short (min 8 here) wins over the check's duplicate; the rest joins it.
    expect(clientErrorItems(result.errors.password)).toEqual([
      { code: "password.too_short", params: { min: 8 } },
      { code: "password.too_common", params: {} },
    ]);
    expect(result.values).toEqual({});
  });

  it("an extra check alone fails the form, and may be asynchronous", async () => {
    const resolver = actionFormResolver<Values>(schema, async () => [
      { field: "password", code: "password.too_weak" },
    ]);
    const result = await run(resolver, { email: "a@b.co", password: "long-enough" });
    expect(clientErrorItems(result.errors.password)).toEqual([{ code: "password.too_weak", params: {} }]);
  });
});

describe("clientErrorItems", () => {
  it("reads a plain react-hook-form error too", () => {
    expect(clientErrorItems({ message: "field.required" })).toEqual([{ code: "field.required" }]);
    expect(clientErrorItems(undefined)).toEqual([]);
  });
});
