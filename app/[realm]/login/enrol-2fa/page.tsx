import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { EnrolSecondFactor } from "@/components/auth/enrol-second-factor";
import { EntryError } from "@/components/auth/entry-error";
import { readHostedRequest } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";
import { hostedPageTitle } from "@/lib/pages/hosted-page";
import { loadEnrolmentStep } from "@/lib/pages/second-factor-step";
import { confirmEnrolmentAction, continueAfterEnrolmentAction } from "./actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ realm: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { realm } = await params;
  const { locale } = await readHostedRequest();
  return { title: { absolute: await hostedPageTitle(realm, "page.mfa_enrol.title", locale) } };
}

/** Enrolment during login: the realm requires two-step verification and the user has none yet. */
export default async function EnrolSecondFactorPage({ params }: Props) {
  const { realm: slug } = await params;
  const page = await loadEnrolmentStep(slug, await readHostedRequest());
  if (page.kind === "not_found") notFound();
  if (page.kind === "error")
    return <EntryError realmName={page.realm.name} code={page.code} messages={page.messages} />;
  const t = translator(page.messages);
  // One tree for both views, so that the confirm form's answer (the recovery codes) finds its
  // component again when the page is rendered for a POST without JavaScript.
  return (
    <AuthShell realmName={page.realm.name} heading={t("page.mfa_enrol.heading")}>
      <p data-slot="intro">{t("page.mfa_enrol.body", { realm: page.realm.name, email: page.email })}</p>
      <EnrolSecondFactor
        setup={page.kind === "setup" ? { qr: page.qr, groupedKey: page.groupedKey, uri: page.uri } : null}
        realmName={page.realm.name}
        email={page.email}
        hidden={page.hidden}
        confirmAction={confirmEnrolmentAction.bind(null, page.realm.slug)}
        continueAction={continueAfterEnrolmentAction.bind(null, page.realm.slug)}
      />
    </AuthShell>
  );
}
