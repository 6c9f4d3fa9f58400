import { describe, expect, it } from "vitest";
import { hasPrefix, newId } from "./ids";

const SHAPE = /^usr_[0-9a-hjkmnp-tv-z]{26}$/;

describe("newId", () => {
  it("is the prefix, an underscore and 26 Crockford base32 characters (no i, l, o, u)", () => {
    for (let i = 0; i < 200; i++) expect(newId("usr")).toMatch(SHAPE);
  });

  it("uses the prefix it is given", () => {
    expect(newId("rl")).toMatch(/^rl_[0-9a-z]{26}$/);
    expect(hasPrefix(newId("ses"), "ses")).toBe(true);
    expect(hasPrefix(newId("ses"), "app")).toBe(false);
    // `us` must not pass for `usr`: the underscore is part of the check.
    expect(hasPrefix("usr_01", "rl")).toBe(false);
    expect(hasPrefix("app_x", "ak")).toBe(false);
  });

  it("encodes the time in the first 10 characters", () => {
    expect(newId("ev", 0).slice(3, 13)).toBe("0000000000");
    expect(newId("ev", 31).slice(3, 13)).toBe("000000000z");
    expect(newId("ev", 32).slice(3, 13)).toBe("0000000010");
    expect(newId("ev", 2 ** 48 - 1).slice(3, 13)).toBe("7zzzzzzzzz");
  });

  it("sorts by creation time when made at increasing times", () => {
    const times = [
      0,
      1,
      9,
      10,
      31,
      32,
      1_000,
      1_700_000_000_000,
      1_700_000_000_001,
      1_700_000_001_000,
      2 ** 47,
    ];
    const ids = times.map((t) => newId("usr", t));
    expect([...ids].sort()).toEqual(ids);
    // Many ids within a ms window still sort by their milliseconds.
    const run = Array.from({ length: 500 }, (_, i) => newId("usr", 1_700_000_000_000 + i * 7));
    expect([...run].sort()).toEqual(run);
  });

  it("does not repeat over many ids made in the same millisecond", () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => newId("usr", 1_700_000_000_000)));
    expect(ids.size).toBe(20_000);
  });

  it("spreads the random part over the whole alphabet", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) for (const c of newId("ev", 0).slice(13)) seen.add(c);
    expect(seen.size).toBe(32);
  });
});
