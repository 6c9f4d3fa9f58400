import { AuthShell } from "@/components/auth/auth-shell";
import { requestMessages } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";

export default async function NotFound() {
  const t = translator(await requestMessages());
  return (
    <AuthShell realmName={t("page.home.product")} heading={t("page.not_found.title")}>
      <p>{t("page.not_found.body")}</p>
    </AuthShell>
  );
}
