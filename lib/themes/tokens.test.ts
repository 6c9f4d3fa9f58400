import { describe, expect, it } from "vitest";
import { readThemeTokens, themeToCss, themeTokensSchema } from "./tokens";

const DEFAULTS = themeTokensSchema.parse({});

describe("theme tokens", () => {
  it("has defaults for every token", () => {
    expect(DEFAULTS).toEqual({
      color_primary: "#3346d3",
      color_primary_text: "#ffffff",
      color_background: "#f4f5f8",
      color_surface: "#ffffff",
      color_text: "#1b1d24",
      color_muted: "#555b6e",
      color_error: "#b3261e",
      color_border: "#767b8c",
      radius: "8px",
      font_family: "system",
    });
    expect(readThemeTokens(null)).toEqual(DEFAULTS);
  });

  it("keeps valid stored values", () => {
    expect(readThemeTokens({ color_primary: "#AA00ff", radius: "0", font_family: "mono" })).toEqual({
      ...DEFAULTS,
      color_primary: "#AA00ff",
      radius: "0",
      font_family: "mono",
    });
  });

  it.each([
    "red",
    "#fff",
    "#12345g",
    "#1234567",
    "rgb(0,0,0)",
    "#000000;}body{display:none",
    "red;}body{display:none",
    "#000000\n",
    "var(--x)",
  ])("refuses the colour %j", (value) => {
    expect(themeTokensSchema.safeParse({ color_primary: value }).success).toBe(false);
  });

  it("refuses radius and font values outside the lists", () => {
    expect(themeTokensSchema.safeParse({ radius: "8px;}*{x:y" }).success).toBe(false);
    expect(themeTokensSchema.safeParse({ radius: "100px" }).success).toBe(false);
    expect(themeTokensSchema.safeParse({ font_family: "Comic Sans MS" }).success).toBe(false);
  });

  it("falls back to the defaults when a stored theme carries an injection", () => {
    const tokens = readThemeTokens({ color_primary: "red;}body{display:none", color_text: "#000000" });
    expect(tokens).toEqual(DEFAULTS);
    const css = themeToCss(tokens);
    expect(css).not.toContain("display");
    expect(css).not.toContain("body");
  });
});

describe("themeToCss", () => {
  it("emits one custom property per token inside a single rule", () => {
    const css = themeToCss(DEFAULTS);
    expect(css.startsWith(":root{")).toBe(true);
    expect(css.endsWith("}")).toBe(true);
    expect(css).toContain("--gh-color-primary:#3346d3;");
    expect(css).toContain("--gh-color-primary-text:#ffffff;");
    expect(css).toContain("--gh-radius:8px;");
    expect(css).toContain("--gh-font-family:system-ui,");
    expect(css.match(/--gh-/g)).toHaveLength(10);
    expect(css.match(/[{}]/g)).toEqual(["{", "}"]);
  });

  it("uses the selector it is given and the chosen font stack", () => {
    const css = themeToCss({ ...DEFAULTS, font_family: "serif" }, "[data-theme=app]");
    expect(css.startsWith("[data-theme=app]{")).toBe(true);
    expect(css).toContain('--gh-font-family:Georgia, "Times New Roman", serif;');
  });

  it("contains nothing but validated values for any theme that parses", () => {
    const tokens = readThemeTokens({ color_primary: "#0A0b0C", color_error: "#ff0000", radius: "16px" });
    const css = themeToCss(tokens);
    const values = [...css.matchAll(/--gh-[a-z-]+:([^;]*);/g)].map((m) => m[1]);
    expect(values).toHaveLength(10);
    for (const value of values.slice(0, 8)) expect(value).toMatch(/^#[0-9a-fA-F]{6}$/);
    expect(css).not.toMatch(/[<>\\@]/);
  });
});
