export { readThemeTokens, type ThemeTokens, themeToCss, themeTokensSchema } from "./tokens";
