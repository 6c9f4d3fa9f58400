import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { MailboxList } from "@/components/dev/mailbox-list";
import { MailboxShell } from "@/components/dev/mailbox-shell";
import { readHostedRequest, requestMessages } from "@/lib/http/next-request";
import { translator } from "@/lib/i18n";
import { devMailboxOn, loadDevMailbox } from "@/lib/pages/dev-mailbox";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  // Off, it is a 404 like any other, title included.
  if (!devMailboxOn()) return {};
  return { title: { absolute: (await requestMessages())["page.dev_mailbox.title"] } };
}

/** The development mailbox (lib/email/dev-mailbox.ts): a plain 404 wherever it is off. */
export default async function DevMailboxPage() {
  const page = await loadDevMailbox(await readHostedRequest());
  if (page.kind === "not_found") notFound();
  const t = translator(page.messages);
  return (
    <MailboxShell t={t} heading={t("page.dev_mailbox.title")}>
      <MailboxList t={t} rows={page.rows} />
    </MailboxShell>
  );
}
