import type { Messages } from "@/lib/i18n";
import { errorText, translator } from "@/lib/i18n";
import { ErrorView } from "./error-view";

export function EntryError({
  realmName,
  code,
  params,
  messages,
}: {
  realmName: string;
  code: string;
  params?: Record<string, string>;
  messages: Messages;
}) {
  const t = translator(messages);
  return (
    <ErrorView
      realmName={realmName}
      heading={t("page.error.title")}
      message={errorText(messages, code, params)}
      hint={t("page.error.back")}
    />
  );
}
