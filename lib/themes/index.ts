export { fontStacks, readThemeTokens, type ThemeTokens, themeToCss, themeTokensSchema } from "./tokens";
