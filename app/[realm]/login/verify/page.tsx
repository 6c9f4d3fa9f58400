import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { EntryError } from "@/components/auth/entry-error";
import { RecoveryCodeForm, TotpCodeForm } from "@/components/auth/second-factor-form";
import { readHostedRequest } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";
import { hostedPageTitle } from "@/lib/pages/hosted-page";
import { loadSecondFactorStep, methodOf } from "@/lib/pages/second-factor-step";
import { verifyRecoveryCodeAction, verifyTotpAction } from "./actions";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ realm: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Pick<Props, "params">): Promise<Metadata> {
  const { realm } = await params;
  const { locale } = await readHostedRequest();
  return { title: { absolute: await hostedPageTitle(realm, "page.mfa_verify.title", locale) } };
}

/** The login's second-factor step: a code of the authenticator app, or (`?method=recovery`) a recovery code. */
export default async function SecondFactorPage({ params, searchParams }: Props) {
  const { realm: slug } = await params;
  const method = methodOf((await searchParams).method);
  const page = await loadSecondFactorStep(slug, await readHostedRequest(), method);
  if (page.kind === "not_found") notFound();
  if (page.kind === "error")
    return <EntryError realmName={page.realm.name} code={page.code} messages={page.messages} />;
  const t = translator(page.messages);
  const here = `/${page.realm.slug}/login/verify`;
  return (
    <AuthShell
      realmName={page.realm.name}
      heading={t("page.mfa_verify.heading")}
      footer={
        <p data-slot="mfa-method-switch">
          {page.method === "totp" ? (
            <a href={`${here}?method=recovery`}>{t("page.mfa_verify.use_recovery")}</a>
          ) : (
            <a href={here}>{t("page.mfa_verify.use_app")}</a>
          )}
        </p>
      }
    >
      {page.method === "totp" ? (
        <>
          <p data-slot="intro">{t("page.mfa_verify.body", { email: page.email })}</p>
          <TotpCodeForm action={verifyTotpAction.bind(null, page.realm.slug)} hidden={page.hidden} />
        </>
      ) : (
        <>
          <p data-slot="intro">{t("page.mfa_verify.recovery_body", { email: page.email })}</p>
          <RecoveryCodeForm
            action={verifyRecoveryCodeAction.bind(null, page.realm.slug)}
            hidden={page.hidden}
          />
        </>
      )}
    </AuthShell>
  );
}
