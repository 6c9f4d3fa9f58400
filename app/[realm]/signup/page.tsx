import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { EntryError } from "@/components/auth/entry-error";
import { SignupForm } from "@/components/auth/signup-form";
import { SocialButtons } from "@/components/auth/social-buttons";
import { INVITATION_FIELD } from "@/lib/flows/forms";
import { readHostedRequest } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";
import { hostedPageTitle, loadEntryPage } from "@/lib/pages/hosted-page";
import { signupAction } from "./actions";

export const dynamic = "force-dynamic";
export async function generateMetadata({ params }: Pick<Props, "params">): Promise<Metadata> {
  const { realm } = await params;
  return {
    title: {
      absolute: await hostedPageTitle(realm, "page.signup.title", (await readHostedRequest()).locale),
    },
  };
}

type Props = {
  params: Promise<{ realm: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function SignupPage({ params, searchParams }: Props) {
  const { realm: slug } = await params;
  const page = await loadEntryPage("signup", slug, await searchParams, await readHostedRequest());
  if (page.kind === "not_found") notFound();
  if (page.kind === "redirect") notFound();
  // Closed realms, invitation-only realms without an invitation and spent invitations end here.
  if (page.kind === "error")
    return (
      <EntryError
        realmName={page.realm.name}
        code={page.code}
        params={page.params}
        messages={page.messages}
      />
    );
  const t = translator(page.messages);
  // A social-only realm: accounts are created by the first social login, so only the buttons.
  const socialOnly = !page.realm.settings.passwordLogin;
  // The buttons carry the invitation: the first social login redeems it (lib/flows/signup-access.ts).
  const invitationSecret = page.invitation ? page.hidden[INVITATION_FIELD] : undefined;
  const socialQuery = invitationSecret
    ? `${page.query}${page.query ? "&" : ""}${new URLSearchParams({ [INVITATION_FIELD]: invitationSecret })}`
    : page.query;
  return (
    <AuthShell
      realmName={page.realm.name}
      heading={
        page.app
          ? t("page.signup.heading", { app: page.app.name })
          : t("page.signup.heading_profile", { realm: page.realm.name })
      }
      footer={
        <p>
          {t("page.signup.have_account")}{" "}
          <a href={`/${page.realm.slug}/login?${page.query}`}>{t("page.signup.login_link")}</a>
        </p>
      }
    >
      {page.notice ? (
        <div data-slot="signup-notice" role="alert">
          {t(page.notice)}
        </div>
      ) : null}
      {socialOnly ? (
        page.socialProviders.length > 0 ? (
          <>
            <p data-slot="intro">{t("page.signup.social_intro")}</p>
            <SocialButtons
              providers={page.socialProviders}
              query={socialQuery}
              realmSlug={page.realm.slug}
              divider={false}
            />
          </>
        ) : (
          <p data-slot="no-sign-in-method">{t("page.login.no_method")}</p>
        )
      ) : (
        <>
          <SocialButtons providers={page.socialProviders} query={socialQuery} realmSlug={page.realm.slug} />
          <SignupForm
            action={signupAction.bind(null, page.realm.slug)}
            hidden={page.hidden}
            policy={{
              passwordMin: page.realm.settings.passwordMin,
              passwordMax: page.realm.settings.passwordMax,
              names: page.realm.settings.names,
              usernameMode: page.realm.settings.usernameMode,
            }}
            invitedEmail={page.invitation?.email ?? null}
            passwordPolicy={page.realm.settings.passwordPolicy}
            altcha={
              page.realm.settings.altcha ? { challengeUrl: `/${page.realm.slug}/connect/altcha` } : null
            }
          />
        </>
      )}
    </AuthShell>
  );
}
