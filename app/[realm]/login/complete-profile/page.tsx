import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { CompleteProfileForm } from "@/components/auth/complete-profile-form";
import { EntryError } from "@/components/auth/entry-error";
import { readHostedRequest } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";
import { loadCompleteProfileStep } from "@/lib/pages/complete-profile-step";
import { hostedPageTitle } from "@/lib/pages/hosted-page";
import { completeProfileAction } from "./actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ realm: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { realm } = await params;
  const { locale } = await readHostedRequest();
  return { title: { absolute: await hostedPageTitle(realm, "page.complete_profile.title", locale) } };
}

/** The login's "complete your profile" step: fields the realm requires that the account lacks. */
export default async function CompleteProfilePage({ params }: Props) {
  const { realm: slug } = await params;
  const page = await loadCompleteProfileStep(slug, await readHostedRequest());
  if (page.kind === "not_found") notFound();
  if (page.kind === "error")
    return <EntryError realmName={page.realm.name} code={page.code} messages={page.messages} />;
  const t = translator(page.messages);
  return (
    <AuthShell realmName={page.realm.name} heading={t("page.complete_profile.heading")}>
      <p data-slot="intro">
        {t("page.complete_profile.intro", { realm: page.realm.name, email: page.email })}
      </p>
      <CompleteProfileForm
        action={completeProfileAction.bind(null, page.realm.slug)}
        hidden={page.hidden}
        fields={page.fields}
        values={page.values}
      />
    </AuthShell>
  );
}
