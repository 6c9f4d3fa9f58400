import { describe, expect, it } from "vitest";
import { devMailboxEnabled, textWithLinks } from "./dev-mailbox";

describe("development mailbox", () => {
  it("exists outside production, and in production only with GATEHOUSE_DEV_MAILBOX=1", () => {
    expect(devMailboxEnabled({ NODE_ENV: "production" })).toBe(false);
    expect(devMailboxEnabled({ NODE_ENV: "production", GATEHOUSE_DEV_MAILBOX: "0" })).toBe(false);
    expect(devMailboxEnabled({ NODE_ENV: "production", GATEHOUSE_DEV_MAILBOX: "1" })).toBe(true);
    expect(devMailboxEnabled({ NODE_ENV: "development" })).toBe(true);
    expect(devMailboxEnabled({ NODE_ENV: "test" })).toBe(true);
    expect(devMailboxEnabled({ NODE_ENV: "development", GATEHOUSE_DEV_MAILBOX: "0" })).toBe(false);
  });

  it("cuts a text body into plain runs and http(s) links, leaving trailing punctuation as text", () => {
    expect(
      textWithLinks(
        "Reset it here:\n\nhttps://id.example/acme/reset?token=abc&x=1\n\nor at http://id.example/forgot.",
      ),
    ).toEqual([
      { text: "Reset it here:\n\n" },
      { link: "https://id.example/acme/reset?token=abc&x=1" },
      { text: "\n\nor at " },
      { link: "http://id.example/forgot" },
      { text: "." },
    ]);
    expect(textWithLinks("no links, javascript:alert(1) is no link")).toEqual([
      { text: "no links, javascript:alert(1) is no link" },
    ]);
    expect(textWithLinks("")).toEqual([]);
  });
});
