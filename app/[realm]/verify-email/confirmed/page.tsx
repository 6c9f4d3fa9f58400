import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { readHostedRequest } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";
import { hostedPageTitle } from "@/lib/pages/hosted-page";
import { loadConfirmedPage } from "@/lib/pages/verify-email";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ realm: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Pick<Props, "params">): Promise<Metadata> {
  const { realm } = await params;
  const { locale } = await readHostedRequest();
  return { title: { absolute: await hostedPageTitle(realm, "page.email_confirmed.title", locale) } };
}

/** After a link from an email: the address is confirmed (or changed), and a way on. */
export default async function EmailConfirmedPage({ params, searchParams }: Props) {
  const page = await loadConfirmedPage((await params).realm, await searchParams, await readHostedRequest());
  if (page.kind === "not_found") notFound();
  const t = translator(page.messages);
  const changed = page.done === "changed";
  return (
    <AuthShell
      realmName={page.realm.name}
      heading={t(changed ? "page.email_changed.heading" : "page.email_confirmed.heading")}
    >
      <p data-slot="intro">{t(changed ? "page.email_changed.body" : "page.email_confirmed.body")}</p>
      <p>
        <a href={page.next.href} data-slot="continue-link">
          {t(page.next.label, { app: page.next.app ?? "" })}
        </a>
      </p>
    </AuthShell>
  );
}
