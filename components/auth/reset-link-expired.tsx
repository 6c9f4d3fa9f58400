import type { Messages } from "@/lib/i18n";
import { translator } from "@/lib/i18n";
import { AuthShell } from "./auth-shell";

/** A reset link that is unknown, expired or already used: say so, and offer a new one. */
export function ResetLinkExpired({
  realm,
  minutes,
  messages,
}: {
  realm: { name: string; slug: string };
  minutes: number;
  messages: Messages;
}) {
  const t = translator(messages);
  return (
    <AuthShell realmName={realm.name} heading={t("page.reset.expired.heading")}>
      <p data-slot="intro">{t("page.reset.expired.body", { minutes })}</p>
      <p data-slot="link-again">
        <a href={`/${realm.slug}/forgot`}>{t("page.reset.expired.again")}</a>
      </p>
    </AuthShell>
  );
}
