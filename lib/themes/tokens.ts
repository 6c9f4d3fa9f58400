import { z } from "zod";

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, "field.invalid");

/**
 * Design tokens of the hosted pages. Values are validated data, never raw CSS: each becomes one
 * CSS custom property, so a theme cannot inject rules. Defaults meet WCAG AA contrast.
 */
export const themeTokensSchema = z.object({
  color_primary: color.default("#3346d3"),
  color_primary_text: color.default("#ffffff"),
  color_background: color.default("#f4f5f8"),
  color_surface: color.default("#ffffff"),
  color_text: color.default("#1b1d24"),
  color_muted: color.default("#555b6e"),
  color_error: color.default("#b3261e"),
  color_border: color.default("#767b8c"),
  radius: z.enum(["0", "4px", "8px", "12px", "16px"]).default("8px"),
  font_family: z.enum(["system", "serif", "mono"]).default("system"),
});

export type ThemeTokens = z.output<typeof themeTokensSchema>;

export const fontStacks: Record<ThemeTokens["font_family"], string> = {
  system: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  serif: 'Georgia, "Times New Roman", serif',
  mono: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace',
};

export function readThemeTokens(stored: unknown): ThemeTokens {
  const parsed = themeTokensSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : themeTokensSchema.parse({});
}

/** `:root`-style declarations for a `<style nonce>` element. Only validated values get here. */
export function themeToCss(tokens: ThemeTokens, selector = ":root"): string {
  const vars: Record<string, string> = {
    "--gh-color-primary": tokens.color_primary,
    "--gh-color-primary-text": tokens.color_primary_text,
    "--gh-color-background": tokens.color_background,
    "--gh-color-surface": tokens.color_surface,
    "--gh-color-text": tokens.color_text,
    "--gh-color-muted": tokens.color_muted,
    "--gh-color-error": tokens.color_error,
    "--gh-color-border": tokens.color_border,
    "--gh-radius": tokens.radius,
    "--gh-font-family": fontStacks[tokens.font_family],
  };
  const body = Object.entries(vars)
    .map(([name, value]) => `${name}:${value};`)
    .join("");
  return `${selector}{${body}}`;
}
