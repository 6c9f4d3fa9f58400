import { headers } from "next/headers";
import { AuthShell } from "@/components/auth/auth-shell";
import { messagesFor, resolveLocale, translator } from "@/lib/i18n";

export default async function NotFound() {
  const t = translator(messagesFor(resolveLocale((await headers()).get("accept-language"))));
  return (
    <AuthShell realmName={t("page.home.product")} heading={t("page.not_found.title")}>
      <p>{t("page.not_found.body")}</p>
    </AuthShell>
  );
}
