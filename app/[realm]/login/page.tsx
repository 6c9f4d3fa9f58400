import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { EntryError } from "@/components/auth/entry-error";
import { LoginForm } from "@/components/auth/login-form";
import { SocialButtons } from "@/components/auth/social-buttons";
import { readHostedRequest } from "@/lib/http/next-request";
import { errorText, translator } from "@/lib/i18n";
import { hostedPageTitle, loadEntryPage } from "@/lib/pages/hosted-page";
import { loginAction } from "./actions";

export const dynamic = "force-dynamic";
export async function generateMetadata({ params }: Pick<Props, "params">): Promise<Metadata> {
  const { realm } = await params;
  return {
    title: { absolute: await hostedPageTitle(realm, "page.login.title", (await readHostedRequest()).locale) },
  };
}

type Props = {
  params: Promise<{ realm: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function LoginPage({ params, searchParams }: Props) {
  const { realm: slug } = await params;
  const page = await loadEntryPage("login", slug, await searchParams, await readHostedRequest());
  if (page.kind === "not_found") notFound();
  if (page.kind === "redirect") redirect(page.url);
  if (page.kind === "error")
    return <EntryError realmName={page.realm.name} code={page.code} messages={page.messages} />;
  const t = translator(page.messages);
  const appName = page.app?.name ?? page.realm.name;
  const alerts = (
    <>
      {page.notice ? (
        <div data-slot="login-notice" role="alert">
          {t(page.notice)}
        </div>
      ) : null}
      {page.error ? (
        <div data-slot="login-error" role="alert">
          {errorText(page.messages, page.error, { realm: page.realm.name })}
        </div>
      ) : null}
    </>
  );
  // A social-only realm: the provider buttons and nothing about passwords; signing up happens
  // through the first social login. Without any enabled provider nobody can sign in: say so.
  if (!page.realm.settings.passwordLogin) {
    const hasProviders = page.socialProviders.length > 0;
    return (
      <AuthShell
        realmName={page.realm.name}
        heading={
          page.app
            ? t("page.login.heading", { app: page.app.name })
            : t("page.login.heading_profile", { realm: page.realm.name })
        }
        footer={
          hasProviders && page.realm.settings.signupOpen ? (
            <p>
              {t("page.login.no_account", { app: appName })}{" "}
              <a href={`/${page.realm.slug}/signup?${page.query}`}>{t("page.login.signup_link")}</a>
            </p>
          ) : null
        }
      >
        {alerts}
        {hasProviders ? (
          <SocialButtons
            providers={page.socialProviders}
            query={page.query}
            realmSlug={page.realm.slug}
            divider={false}
          />
        ) : (
          <p data-slot="no-sign-in-method">{t("page.login.no_method")}</p>
        )}
      </AuthShell>
    );
  }
  return (
    <AuthShell
      realmName={page.realm.name}
      heading={
        page.app
          ? t("page.login.heading", { app: page.app.name })
          : t("page.login.heading_profile", { realm: page.realm.name })
      }
      footer={
        <>
          <p data-slot="forgot-link">
            <a href={`/${page.realm.slug}/forgot?${page.query}`}>{t("page.login.forgot_link")}</a>
          </p>
          {page.realm.settings.signupOpen ? (
            <p>
              {t("page.login.no_account", { app: appName })}{" "}
              <a href={`/${page.realm.slug}/signup?${page.query}`}>{t("page.login.signup_link")}</a>
            </p>
          ) : null}
        </>
      }
    >
      {alerts}
      <SocialButtons providers={page.socialProviders} query={page.query} realmSlug={page.realm.slug} />
      <LoginForm
        action={loginAction.bind(null, page.realm.slug)}
        hidden={page.hidden}
        usernameMode={page.realm.settings.usernameMode}
      />
    </AuthShell>
  );
}
