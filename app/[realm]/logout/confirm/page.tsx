import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { AuthShell } from "@/components/auth/auth-shell";
import { HiddenFields } from "@/components/ui/hidden-fields";
import { SubmitButton } from "@/components/ui/submit-button";
import { messagesFor, readHostedRequest, requestMessages } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";
import { loadLogoutConfirm } from "@/lib/pages/logout";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ realm: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await requestMessages())["page.logout.title"] };
}

/** Asked when a logout request cannot prove it came from an app of this session (CSRF). */
export default async function LogoutConfirmPage({ params, searchParams }: Props) {
  const request = await readHostedRequest();
  const page = await loadLogoutConfirm((await params).realm, await searchParams, request);
  if (page.kind === "not_found") notFound();
  if (page.kind === "redirect") redirect(page.url);
  const t = translator(messagesFor(request.locale));
  return (
    <AuthShell
      realmName={page.realmName}
      heading={t("page.logout.heading", { realm: page.realmName })}
      footer={
        <p>
          <a href={page.stayUrl}>{t("page.logout.stay")}</a>
        </p>
      }
    >
      <p data-slot="logout-body">{t("page.logout.body", { email: page.email })}</p>
      <form method="post" action={`/${page.slug}/logout`} data-slot="logout-form">
        <HiddenFields values={page.hidden} />
        <SubmitButton>{t("action.logout")}</SubmitButton>
      </form>
    </AuthShell>
  );
}
