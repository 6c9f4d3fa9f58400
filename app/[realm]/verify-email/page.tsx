import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { ButtonForm } from "@/components/auth/button-form";
import { readHostedRequest } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";
import { hostedPageTitle } from "@/lib/pages/hosted-page";
import { loadLinkPage } from "@/lib/pages/verify-email";
import { confirmLinkAction } from "./actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ realm: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { realm } = await params;
  const { locale } = await readHostedRequest();
  return { title: { absolute: await hostedPageTitle(realm, "page.verify_email.title", locale) } };
}

/** The page a link from an email opens: one button confirms the address (lib/pages/verify-email.ts). */
export default async function VerifyEmailPage({ params }: Props) {
  const { realm: slug } = await params;
  const page = await loadLinkPage(slug, await readHostedRequest());
  if (page.kind === "not_found") notFound();
  const t = translator(page.messages);
  if (page.kind === "invalid")
    return (
      <AuthShell realmName={page.realm.name} heading={t("page.link_invalid.heading")}>
        <div data-slot="error" role="alert">
          <p>{t("page.link_invalid.body")}</p>
        </div>
        <p>
          <a href={page.next.href} data-slot="new-link">
            {t(page.next.label)}
          </a>
        </p>
      </AuthShell>
    );
  const change = page.purpose === "change_email";
  return (
    <AuthShell
      realmName={page.realm.name}
      heading={t(change ? "page.change_email.heading" : "page.verify_email.heading")}
    >
      <p data-slot="intro">
        {change
          ? t("page.change_email.body", {
              realm: page.realm.name,
              email: page.email,
              current: page.current ?? "",
            })
          : t("page.verify_email.body", { realm: page.realm.name, email: page.email })}
      </p>
      <ButtonForm
        slot="confirm-email-form"
        action={confirmLinkAction.bind(null, page.realm.slug)}
        hidden={page.hidden}
        label={t(change ? "action.confirm_new_email" : "action.confirm_email")}
      />
    </AuthShell>
  );
}
