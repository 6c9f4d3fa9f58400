import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { MailboxEmail } from "@/components/dev/mailbox-email";
import { MailboxShell } from "@/components/dev/mailbox-shell";
import { readHostedRequest, requestMessages } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";
import { devMailboxOn, loadDevMailboxEmail } from "@/lib/pages/dev-mailbox";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ realm: string; id: string }> };

export async function generateMetadata(): Promise<Metadata> {
  // Off, it is a 404 like any other, title included.
  if (!devMailboxOn()) return {};
  return { title: { absolute: (await requestMessages())["page.dev_mailbox.title"] } };
}

/** One email of the development mailbox: a plain 404 wherever the mailbox is off. */
export default async function DevMailboxEmailPage({ params }: Props) {
  const { realm, id } = await params;
  const page = await loadDevMailboxEmail(realm, id, await readHostedRequest());
  if (page.kind === "not_found") notFound();
  return (
    <MailboxShell t={translator(page.messages)} heading={page.row.subject}>
      <MailboxEmail t={translator(page.messages)} page={page} />
    </MailboxShell>
  );
}
