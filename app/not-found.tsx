import { AuthShell } from "@/components/auth/auth-shell";
import { messagesFor, translator } from "@/lib/i18n";

export default function NotFound() {
  const t = translator(messagesFor("en"));
  return (
    <AuthShell realmName="Gatehouse" heading={t("page.not_found.title")}>
      <p>{t("page.not_found.body")}</p>
    </AuthShell>
  );
}
