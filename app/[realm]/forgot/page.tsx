import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { EntryError } from "@/components/auth/entry-error";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";
import { PasswordLoginOff } from "@/components/auth/password-login-off";
import { readHostedRequest } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";
import { hostedPageTitle, loadEntryPage, loadRealmView } from "@/lib/pages/hosted-page";
import { RESET_MINUTES } from "@/lib/pages/password-reset";
import { forgotPasswordAction } from "./actions";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ realm: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Pick<Props, "params">): Promise<Metadata> {
  const { realm } = await params;
  const view = await loadRealmView(realm);
  const key = view && !view.settings.passwordLogin ? "page.password_off.title" : "page.forgot.title";
  return { title: { absolute: await hostedPageTitle(realm, key, (await readHostedRequest()).locale) } };
}

/** "Forgot your password?" (DESIGN section 2): an email address in, the same answer for all. */
export default async function ForgotPasswordPage({ params, searchParams }: Props) {
  const { realm: slug } = await params;
  const page = await loadEntryPage("forgot", slug, await searchParams, await readHostedRequest());
  if (page.kind === "not_found") notFound();
  if (page.kind === "redirect") redirect(page.url);
  if (page.kind === "error")
    return <EntryError realmName={page.realm.name} code={page.code} messages={page.messages} />;
  // A social-only realm has no passwords to reset: a message instead of the form (its POST refuses too).
  if (!page.realm.settings.passwordLogin)
    return <PasswordLoginOff realm={page.realm} query={page.query} messages={page.messages} />;
  const t = translator(page.messages);
  return (
    <AuthShell
      realmName={page.realm.name}
      heading={t("page.forgot.heading")}
      footer={
        <p>
          <a href={`/${page.realm.slug}/login${page.query ? `?${page.query}` : ""}`}>
            {t("page.forgot.back")}
          </a>
        </p>
      }
    >
      <p data-slot="intro">{t("page.forgot.intro", { app: page.app?.name ?? page.realm.name })}</p>
      <ForgotPasswordForm
        action={forgotPasswordAction.bind(null, page.realm.slug)}
        hidden={page.hidden}
        minutes={RESET_MINUTES}
        altcha={page.realm.settings.altcha ? { challengeUrl: `/${page.realm.slug}/connect/altcha` } : null}
      />
    </AuthShell>
  );
}
