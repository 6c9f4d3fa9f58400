import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { ChoosePasswordForm } from "@/components/auth/choose-password-form";
import { PasswordLoginOff } from "@/components/auth/password-login-off";
import { ResetLinkExpired } from "@/components/auth/reset-link-expired";
import { readHostedRequest } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";
import { loadResetPage, RESET_MINUTES, resetPageTitle } from "@/lib/pages/password-reset";
import { resetPasswordAction } from "./actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ realm: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { realm } = await params;
  return { title: { absolute: await resetPageTitle(realm, await readHostedRequest()) } };
}

/**
 * `/{realm}/reset`: a new password for the link the landing (lib/http/link-token.ts) moved into
 * a cookie. A dead link gets its own explanation, rendered by the page itself with status 200:
 * in Next 16 a `notFound()` page is an empty shell filled in by JavaScript, and this page must
 * work without it.
 */
export default async function ResetPasswordPage({ params }: Props) {
  const { realm: slug } = await params;
  const page = await loadResetPage(slug, await readHostedRequest());
  if (page.kind === "not_found") notFound();
  if (page.kind === "password_login_off")
    return <PasswordLoginOff realm={page.realm} messages={page.messages} />;
  if (page.kind === "expired")
    return <ResetLinkExpired realm={page.realm} minutes={RESET_MINUTES} messages={page.messages} />;
  const t = translator(page.messages);
  return (
    <AuthShell realmName={page.realm.name} heading={t("page.reset.heading")}>
      <p data-slot="intro">{t("page.reset.intro", { email: page.email })}</p>
      <ChoosePasswordForm
        action={resetPasswordAction.bind(null, page.realm.slug)}
        hidden={page.hidden}
        email={page.email}
        policy={page.realm.settings.passwordPolicy}
        slot="reset-password-form"
      />
    </AuthShell>
  );
}
