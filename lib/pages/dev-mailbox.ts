import "server-only";
import { createDevMailbox, devMailboxEnabled, type TextPart, textWithLinks } from "@/lib/email/dev-mailbox";
import type { OutboxEmail } from "@/lib/email/outbox";
import { env } from "@/lib/env";
import type { HostedRequest } from "@/lib/http/next-request";
import { type Messages, messagesFor } from "@/lib/i18n";
import { services } from "@/lib/services";

/** How many emails the list shows. */
const LISTED = 100;

/** `2030-01-02 03:04:05 UTC`: to the second, which is what a developer comparing emails needs. */
const utc = (date: Date) => `${date.toISOString().replace("T", " ").slice(0, 19)} UTC`;

export interface MailboxRow {
  href: string;
  createdAt: string;
  createdText: string;
  realm: string;
  to: string;
  subject: string;
  status: OutboxEmail["status"];
  attempts: number;
  lastError: string | null;
}

export type DevMailboxPage = { kind: "not_found" } | { kind: "list"; messages: Messages; rows: MailboxRow[] };

export type DevMailboxEmailPage =
  | { kind: "not_found" }
  | {
      kind: "email";
      messages: Messages;
      row: MailboxRow;
      from: string;
      template: string;
      sentText: string | null;
      text: TextPart[];
      html: string;
      attempts: Array<{
        at: string;
        atText: string;
        worker: string;
        ok: "sent" | "failed";
        error: string | null;
      }>;
    };

/** Whether the mailbox's pages exist in this process (otherwise they are a plain 404). */
export const devMailboxOn = () => devMailboxEnabled(env());

async function mailbox() {
  if (!devMailboxOn()) return null;
  const gh = await services();
  return createDevMailbox({ outbox: gh.outbox, realms: gh.realms });
}

function rowOf(email: OutboxEmail & { realmSlug: string }): MailboxRow {
  return {
    href: `/dev/mailbox/${email.realmId}/${email.id}`,
    createdAt: email.createdAt.toISOString(),
    createdText: utc(email.createdAt),
    realm: email.realmSlug,
    to: email.toAddress,
    subject: email.subject,
    status: email.status,
    attempts: email.attempts,
    lastError: email.lastError,
  };
}

/** `/dev/mailbox`: the latest emails of the installation (lib/email/dev-mailbox.ts says when it exists). */
export async function loadDevMailbox(request: HostedRequest): Promise<DevMailboxPage> {
  const box = await mailbox();
  if (!box) return { kind: "not_found" };
  return { kind: "list", messages: messagesFor(request.locale), rows: (await box.list(LISTED)).map(rowOf) };
}

/** `/dev/mailbox/{realm id}/{email id}`: one email, its text with live links, its HTML framed. */
export async function loadDevMailboxEmail(
  realmId: string,
  id: string,
  request: HostedRequest,
): Promise<DevMailboxEmailPage> {
  const box = await mailbox();
  const found = box ? await box.show(realmId, id) : null;
  if (!found) return { kind: "not_found" };
  const { email, attempts } = found;
  return {
    kind: "email",
    messages: messagesFor(request.locale),
    row: rowOf(email),
    from: email.fromAddress,
    template: email.template,
    sentText: email.sentAt ? utc(email.sentAt) : null,
    text: textWithLinks(email.text),
    html: email.html,
    attempts: attempts.map((a) => ({
      at: a.createdAt.toISOString(),
      atText: utc(a.createdAt),
      worker: a.worker,
      ok: a.ok,
      error: a.error,
    })),
  };
}
