import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { ChangeEmailForm } from "@/components/auth/change-email-form";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { EmailSection } from "@/components/auth/email-section";
import { LinkedAccounts } from "@/components/auth/linked-accounts";
import { SessionList } from "@/components/auth/session-list";
import { TwoFactorSection } from "@/components/auth/two-factor-section";
import { readHostedRequest } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";
import { hostedPageTitle } from "@/lib/pages/hosted-page";
import { loadProfilePage } from "@/lib/pages/profile";
import {
  changeEmailAction,
  changePasswordAction,
  emailAction,
  endSessionAction,
  linkedAccountsAction,
  twoFactorAction,
} from "./actions";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ realm: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Pick<Props, "params">): Promise<Metadata> {
  const { realm } = await params;
  return {
    title: {
      absolute: await hostedPageTitle(realm, "page.profile.title", (await readHostedRequest()).locale),
    },
  };
}

/** The signed-in user's own account: sessions, password, 2FA and email address (DESIGN section 2). */
export default async function ProfilePage({ params, searchParams }: Props) {
  const request = await readHostedRequest();
  const page = await loadProfilePage((await params).realm, await searchParams, request);
  if (page.kind === "not_found") notFound();
  if (page.kind === "redirect") redirect(page.url);
  const t = translator(page.messages);
  return (
    <AuthShell
      realmName={page.realmName}
      heading={t("page.profile.heading", { realm: page.realmName })}
      footer={
        page.back ? (
          <p>
            <a href={page.back.url} data-slot="back-link">
              {t("page.profile.back", { app: page.back.appName })}
            </a>
          </p>
        ) : null
      }
    >
      <p data-slot="profile-identity">{t("page.profile.signed_in_as", { email: page.email })}</p>
      <SessionList
        action={endSessionAction.bind(null, page.slug)}
        sessions={page.sessions}
        hidden={page.hidden}
      />
      {/* No password section in a social-only realm; without a password, where to set one. */}
      {page.password === "change" ? (
        <ChangePasswordForm
          action={changePasswordAction.bind(null, page.slug)}
          hidden={page.hidden}
          policy={page.policy}
          email={page.email}
        />
      ) : page.password === "none" ? (
        <section aria-labelledby="password-heading" data-slot="password-none">
          <h2 id="password-heading" data-slot="section-heading">
            {t("page.profile.password.set_heading")}
          </h2>
          <p>
            {t("page.profile.password.none")}{" "}
            <a href={`/${page.slug}/forgot?return_to=profile`}>{t("page.profile.password.set_link")}</a>
          </p>
        </section>
      ) : null}
      <LinkedAccounts
        action={linkedAccountsAction.bind(null, page.slug)}
        hidden={page.hidden}
        view={page.linked}
        email={page.email}
      />
      <TwoFactorSection
        action={twoFactorAction.bind(null, page.slug)}
        hidden={page.hidden}
        view={page.twoFactor}
        realmName={page.realmName}
        email={page.email}
      />
      <EmailSection
        action={emailAction.bind(null, page.slug)}
        hidden={page.hidden}
        email={page.email}
        verified={page.emailVerified}
        verification={page.verification}
        pendingEmail={page.pendingEmail}
      />
      <ChangeEmailForm
        action={changeEmailAction.bind(null, page.slug)}
        hidden={page.hidden}
        email={page.email}
        reauth={{ ...page.linked.reauth, recent: page.linked.recent }}
      />
    </AuthShell>
  );
}
