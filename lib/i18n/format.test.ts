import { describe, expect, it } from "vitest";
import { formatMessage, isMessageKey } from "./format";
import { en, type MessageKey, type Messages } from "./messages/en";

describe("formatMessage", () => {
  it("fills placeholders as plain text", () => {
    expect(formatMessage(en, "page.login.heading", { app: "Acme" })).toBe("Log in to Acme");
    expect(formatMessage(en, "page.signed_in.body", { realm: "acme", email: "a@b.co" })).toBe(
      "You are signed in to acme as a@b.co.",
    );
    expect(formatMessage(en, "error.field.too_long", { max: 100 })).toBe("Use at most 100 characters.");
  });

  it("leaves an unknown or unfilled placeholder visible", () => {
    expect(formatMessage(en, "page.login.heading", { other: "x" })).toBe("Log in to {app}");
    expect(formatMessage(en, "page.login.heading")).toBe("Log in to {app}");
  });

  it("does not interpret placeholders or replacement patterns inside values", () => {
    expect(formatMessage(en, "page.signed_in.body", { realm: "{email}", email: "$&$1" })).toBe(
      "You are signed in to {email} as $&$1.",
    );
    expect(formatMessage(en, "page.login.heading", { app: "<b>x</b>" })).toBe("Log in to <b>x</b>");
  });

  it("does not treat inherited properties as parameters", () => {
    const messages = { ...en, "page.login.heading": "Log in to {constructor}" } as Messages;
    expect(formatMessage(messages, "page.login.heading", {})).toBe("Log in to {constructor}");
  });

  it("falls back to the key when a catalogue lacks it", () => {
    expect(formatMessage({} as Messages, "page.login.title")).toBe("page.login.title");
  });
});

describe("isMessageKey", () => {
  it("knows the catalogue's own keys only", () => {
    expect(isMessageKey(en, "page.login.title")).toBe(true);
    expect(isMessageKey(en, "page.nope")).toBe(false);
    expect(isMessageKey(en, "toString")).toBe(false);
    expect(isMessageKey(en, "__proto__")).toBe(false);
    const key: MessageKey = "form.error_summary";
    expect(isMessageKey(en, key)).toBe(true);
  });
});
