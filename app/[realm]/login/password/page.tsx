import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { ChoosePasswordForm } from "@/components/auth/choose-password-form";
import { EntryError } from "@/components/auth/entry-error";
import { readHostedRequest } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";
import { hostedPageTitle } from "@/lib/pages/hosted-page";
import { loadPasswordStep } from "@/lib/pages/password-step";
import { choosePasswordAction } from "./actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ realm: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { realm } = await params;
  const { locale } = await readHostedRequest();
  return { title: { absolute: await hostedPageTitle(realm, "page.choose_password.title", locale) } };
}

export default async function ChoosePasswordPage({ params }: Props) {
  const { realm: slug } = await params;
  const page = await loadPasswordStep(slug, await readHostedRequest());
  if (page.kind === "not_found") notFound();
  if (page.kind === "error")
    return <EntryError realmName={page.realm.name} code={page.code} messages={page.messages} />;
  const t = translator(page.messages);
  return (
    <AuthShell realmName={page.realm.name} heading={t("page.choose_password.heading")}>
      <p data-slot="intro">
        {t(page.reason === "expired" ? "page.choose_password.expired" : "page.choose_password.required", {
          email: page.email,
        })}
      </p>
      <ChoosePasswordForm
        action={choosePasswordAction.bind(null, page.realm.slug)}
        hidden={page.hidden}
        email={page.email}
        policy={page.realm.settings.passwordPolicy}
      />
    </AuthShell>
  );
}
