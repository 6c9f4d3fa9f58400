import { formatMessage, isMessageKey, type MessageParams } from "./format";
import type { MessageKey, Messages } from "./messages/en";

export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function translator(messages: Messages): Translate {
  return (key, params) => formatMessage(messages, key, params);
}

/** Text for an error code (`error.<code>`), with a generic fallback for codes we have no words for. */
export function errorText(messages: Messages, code: string, params?: MessageParams): string {
  const key = `error.${code}`;
  if (code === "field.required" && !params?.field)
    return formatMessage(messages, "error.field.required_plain");
  return isMessageKey(messages, key)
    ? formatMessage(messages, key, params)
    : formatMessage(messages, "error.field.invalid");
}
