import { formatMessage, isMessageKey, type MessageParams } from "./format";
import type { MessageKey, Messages } from "./messages/en";

export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function translator(messages: Messages): Translate {
  return (key, params) => formatMessage(messages, key, params);
}

/**
 * Text for an error code (`error.<code>`), with a generic fallback for codes we have no words for.
 * `params.field` names the field (`email`), never its label, so that each language words a
 * missing field its own way (`error.field.required.email`).
 */
export function errorText(messages: Messages, code: string, params?: MessageParams): string {
  const key = `error.${code}`;
  if (code === "field.required" && params?.field !== undefined) {
    const specific = `error.field.required.${params.field}`;
    if (isMessageKey(messages, specific)) return formatMessage(messages, specific, params);
  }
  return isMessageKey(messages, key)
    ? formatMessage(messages, key, params)
    : formatMessage(messages, "error.field.invalid");
}
