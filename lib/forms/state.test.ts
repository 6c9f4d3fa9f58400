import { describe, expect, it } from "vitest";
import { hasNulCharacter } from "./state";

const form = (entries: [string, string | Blob][]) => {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
};

describe("hasNulCharacter", () => {
  it("finds a NUL in any text field, hidden ones included (a 500 before: found by the form fuzz)", () => {
    expect(
      hasNulCharacter(
        form([
          ["email", "a@example.com"],
          ["client_id", "app_1\u0000"],
        ]),
      ),
    ).toBe(true);
    expect(hasNulCharacter(form([["password", "\u0000"]]))).toBe(true);
  });

  it("ignores files and every other character", () => {
    expect(
      hasNulCharacter(
        form([
          ["file", new Blob(["\u0000"])],
          ["name", "\ud800 %00 \\0"],
        ]),
      ),
    ).toBe(false);
  });
});
