import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { EntryError } from "@/components/auth/entry-error";
import { LinkIdentityForm } from "@/components/auth/link-identity-form";
import { readHostedRequest } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";
import { hostedPageTitle } from "@/lib/pages/hosted-page";
import { loadLinkStep } from "@/lib/pages/social-login";
import { linkIdentityAction } from "./actions";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ realm: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { realm } = await params;
  const { locale } = await readHostedRequest();
  return { title: { absolute: await hostedPageTitle(realm, "page.link.title", locale) } };
}

/** A social login found an existing account with the same email: its password links the identity. */
export default async function LinkIdentityPage({ params }: Props) {
  const { realm: slug } = await params;
  const page = await loadLinkStep(slug, await readHostedRequest());
  if (page.kind === "not_found") notFound();
  if (page.kind === "error")
    return <EntryError realmName={page.realm.name} code={page.code} messages={page.messages} />;
  const t = translator(page.messages);
  const names = { email: page.email, provider: page.providerName };
  return (
    <AuthShell realmName={page.realm.name} heading={t("page.link.heading", names)}>
      {page.hasPassword ? (
        <>
          <p data-slot="intro">{t("page.link.body", names)}</p>
          <LinkIdentityForm action={linkIdentityAction.bind(null, page.realm.slug)} hidden={page.hidden} />
        </>
      ) : (
        <>
          <p data-slot="intro">{t("page.link.no_password", names)}</p>
          <p>
            <a href={`/${page.realm.slug}/login?${page.query}`}>{t("page.link.back_to_login")}</a>
          </p>
        </>
      )}
    </AuthShell>
  );
}
