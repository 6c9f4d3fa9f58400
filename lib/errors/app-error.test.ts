import { describe, expect, it, vi } from "vitest";
import { AppError, isAppError } from "./app-error";

describe("AppError", () => {
  it("carries its code, the status from the catalogue and no fields by default", () => {
    const error = new AppError("csrf.invalid");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("AppError");
    expect(error.code).toBe("csrf.invalid");
    expect(error.status).toBe(403);
    expect(error.message).toBe("csrf.invalid");
    expect(error.fields).toEqual([]);
  });

  it("AppError.field wraps a field code in validation.failed (422)", () => {
    const error = AppError.field("password.too_short", "password", { min: 8 });
    expect(error.code).toBe("validation.failed");
    expect(error.status).toBe(422);
    expect(error.fields).toEqual([{ field: "password", code: "password.too_short", params: { min: 8 } }]);
  });

  it("AppError.field keeps conflict codes as the top-level code (409)", () => {
    const taken = AppError.field("user.email_taken", "email");
    expect(taken.code).toBe("user.email_taken");
    expect(taken.status).toBe(409);
    expect(taken.fields).toEqual([{ field: "email", code: "user.email_taken", params: undefined }]);
    expect(AppError.field("realm.slug_taken", "slug").status).toBe(409);
    const username = AppError.field("user.username_taken", "username");
    expect([username.code, username.status]).toEqual(["user.username_taken", 409]);
  });
});

describe("isAppError", () => {
  it("is true for an AppError", () => {
    expect(isAppError(new AppError("internal"))).toBe(true);
    expect(isAppError(AppError.field("field.required", "email"))).toBe(true);
  });

  it("is true for an AppError from another copy of the module (where instanceof fails)", async () => {
    vi.resetModules();
    const copy = await import("./app-error");
    const foreign = new copy.AppError("auth.forbidden");
    expect(copy.AppError).not.toBe(AppError);
    expect(foreign instanceof AppError).toBe(false);
    expect(isAppError(foreign)).toBe(true);
  });

  it.each([
    ["a plain Error", new Error("auth.forbidden")],
    ["an Error named AppError", Object.assign(new Error("x"), { name: "AppError", code: "internal" })],
    ["a look-alike object", { code: "internal", status: 500, fields: [] }],
    ["null", null],
    ["undefined", undefined],
    ["a string", "validation.failed"],
  ])("is false for %s", (_label, value) => {
    expect(isAppError(value)).toBe(false);
  });
});
