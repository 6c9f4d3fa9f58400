import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { ButtonForm } from "@/components/auth/button-form";
import { EntryError } from "@/components/auth/entry-error";
import { readHostedRequest } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";
import { hostedPageTitle } from "@/lib/pages/hosted-page";
import { loadVerifyEmailStep } from "@/lib/pages/verify-email-step";
import { continueAction, resendLinkAction } from "./actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ realm: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { realm } = await params;
  const { locale } = await readHostedRequest();
  return { title: { absolute: await hostedPageTitle(realm, "page.verify_email_step.title", locale) } };
}

/** The login's "confirm your email address" step, while the realm requires a confirmed address. */
export default async function VerifyEmailStepPage({ params }: Props) {
  const { realm: slug } = await params;
  const page = await loadVerifyEmailStep(slug, await readHostedRequest());
  if (page.kind === "not_found") notFound();
  if (page.kind === "error")
    return <EntryError realmName={page.realm.name} code={page.code} messages={page.messages} />;
  const t = translator(page.messages);
  return (
    <AuthShell realmName={page.realm.name} heading={t("page.verify_email_step.heading")}>
      <p data-slot="intro">{t("page.verify_email_step.body", { email: page.email })}</p>
      <p data-slot="continue-hint">{t("page.verify_email_step.continue_hint")}</p>
      <ButtonForm
        slot="continue-form"
        action={continueAction.bind(null, page.realm.slug)}
        hidden={page.hidden}
        label={t("action.verify_continue")}
      />
      <p data-slot="resend-hint">{t("page.verify_email_step.resend_hint")}</p>
      <ButtonForm
        slot="resend-form"
        action={resendLinkAction.bind(null, page.realm.slug)}
        hidden={page.hidden}
        label={t("action.resend_link")}
      />
    </AuthShell>
  );
}
