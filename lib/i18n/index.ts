import { en, type MessageKey, type Messages } from "./messages/en";

export { formatMessage, isMessageKey, type MessageParams } from "./format";
export type { MessageKey, Messages };

const catalogues: Record<string, Messages> = { en };

export const defaultLocale = "en";

/**
 * Picks the catalogue for an Accept-Language header. Only English exists today; the negotiation is
 * here so that adding a language is adding a file.
 */
export function resolveLocale(acceptLanguage: string | null | undefined): string {
  if (!acceptLanguage) return defaultLocale;
  for (const part of acceptLanguage.split(",")) {
    const tag = part.split(";")[0]?.trim().toLowerCase() ?? "";
    const base = tag.split("-")[0] ?? "";
    // Own keys only: a header naming `constructor` or `__proto__` must not pick an Object builtin.
    if (Object.hasOwn(catalogues, tag)) return tag;
    if (Object.hasOwn(catalogues, base)) return base;
  }
  return defaultLocale;
}

export function messagesFor(locale: string): Messages {
  return (Object.hasOwn(catalogues, locale) ? catalogues[locale] : undefined) ?? en;
}
export { errorText, type Translate, translator } from "./translator";
