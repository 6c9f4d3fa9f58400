import { AuthShell } from "@/components/auth/auth-shell";
import { requestMessages } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";

/** The installation's own root: nothing to log in to here, realms live at /{realm}/login. */
export default async function Home() {
  const t = translator(await requestMessages());
  return (
    <AuthShell realmName={t("page.home.product")} heading={t("page.home.heading")}>
      <p>{t("page.home.body")}</p>
    </AuthShell>
  );
}
