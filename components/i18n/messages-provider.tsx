"use client";

import { createContext, type ReactNode, useContext, useMemo } from "react";
import type { MessageParams } from "@/lib/i18n/format";
import { en, type Messages } from "@/lib/i18n/messages/en";
import { errorText, type Translate, translator } from "@/lib/i18n/translator";

const MessagesContext = createContext<Messages>(en);

/** Hands the server-chosen catalogue to client components, so they never hard-code text. */
export function MessagesProvider({ messages, children }: { messages: Messages; children: ReactNode }) {
  return <MessagesContext.Provider value={messages}>{children}</MessagesContext.Provider>;
}

export function useT(): { t: Translate; err: (code: string, params?: MessageParams) => string } {
  const messages = useContext(MessagesContext);
  return useMemo(
    () => ({
      t: translator(messages),
      err: (code: string, params?: MessageParams) => errorText(messages, code, params),
    }),
    [messages],
  );
}
