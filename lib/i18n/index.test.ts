import { describe, expect, it } from "vitest";
import { defaultLocale, messagesFor, resolveLocale } from "./index";
import { en } from "./messages/en";

describe("resolveLocale", () => {
  it.each([
    [null, "en"],
    [undefined, "en"],
    ["", "en"],
    ["en", "en"],
    ["en-GB", "en"],
    ["EN-us;q=0.8", "en"],
    ["fr-CA,fr;q=0.9,en;q=0.5", "en"],
    ["de", "en"],
    ["*", "en"],
    [";;,,", "en"],
  ])("%j → %s", (header, locale) => {
    expect(resolveLocale(header)).toBe(locale);
  });

  // Regression: `constructor` and `__proto__` used to be returned as locales.
  it("never returns a locale it has no catalogue for", () => {
    for (const header of ["zz", "xx-YY", "constructor", "__proto__", "toString"]) {
      expect(resolveLocale(header)).toBe(defaultLocale);
    }
  });
});

describe("messagesFor", () => {
  it("falls back to English", () => {
    expect(messagesFor("en")).toBe(en);
    expect(messagesFor("fr")).toBe(en);
  });

  // Regression: `catalogues[locale]` used to find Object builtins for these names.
  it("never hands out an Object builtin as a catalogue", () => {
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(messagesFor(name)).toBe(en);
    }
  });
});
