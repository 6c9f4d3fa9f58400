import type { MessageKey, Messages } from "./messages/en";

export type MessageParams = Record<string, string | number>;

/** Fills `{name}` placeholders as plain text; an unknown placeholder is left visible, not dropped. */
export function formatMessage(messages: Messages, key: MessageKey, params?: MessageParams): string {
  const template = messages[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function isMessageKey(messages: Messages, key: string): key is MessageKey {
  return Object.hasOwn(messages, key);
}
