import { describe, expect, it } from "vitest";
import { en } from "./messages/en";
import { errorText, translator } from "./translator";

describe("translator", () => {
  it("formats keys of its catalogue", () => {
    const t = translator(en);
    expect(t("page.login.heading", { app: "Acme" })).toBe("Log in to Acme");
    expect(t("action.login")).toBe("Log in");
  });
});

describe("errorText", () => {
  it("uses the error.<code> message with its params", () => {
    expect(errorText(en, "password.too_short", { min: 8 })).toBe("Use at least 8 characters.");
    expect(errorText(en, "signup.closed", { realm: "Acme" })).toBe("Sign-up is closed for Acme.");
  });

  it("names the field for field.required when it can, and stays generic otherwise", () => {
    expect(errorText(en, "field.required", { field: "email" })).toBe("Enter your email address.");
    expect(errorText(en, "field.required", { field: "settings.token_minutes" })).toBe(
      "This field is required.",
    );
    expect(errorText(en, "field.required")).toBe("This field is required.");
  });

  it("falls back to a generic message for an unknown code", () => {
    expect(errorText(en, "no.such_code")).toBe("This value is not valid.");
    expect(errorText(en, "")).toBe("This value is not valid.");
    expect(errorText(en, "__proto__")).toBe("This value is not valid.");
  });
});
