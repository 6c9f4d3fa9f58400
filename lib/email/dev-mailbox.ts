import type { Realms } from "@/lib/realms";
import type { Outbox, OutboxEmail } from "./outbox";

/**
 * Whether the development mailbox (`/dev/mailbox`) exists: with `GATEHOUSE_DEV_MAILBOX=1`, or
 * outside production unless `GATEHOUSE_DEV_MAILBOX=0`. It shows every email of every realm, reset
 * links included, to anyone who can reach the portal: never on a server with real users.
 */
export function devMailboxEnabled(env: { NODE_ENV: string; GATEHOUSE_DEV_MAILBOX?: string }): boolean {
  if (env.GATEHOUSE_DEV_MAILBOX === "1") return true;
  if (env.GATEHOUSE_DEV_MAILBOX === "0") return false;
  return env.NODE_ENV !== "production";
}

export type TextPart = { text: string } | { link: string };

/**
 * A text body cut into plain runs and http(s) links, for showing the links clickable. Trailing
 * punctuation stays text ("…at https://x.example/forgot." links without the dot).
 */
export function textWithLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    const link = match[0].replace(/[.,;:!?)\]]+$/, "");
    if (match.index > at) parts.push({ text: text.slice(at, match.index) });
    parts.push({ link });
    at = match.index + link.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

export interface MailboxEmail extends OutboxEmail {
  /** The realm's slug (its id if the realm cannot be found). */
  realmSlug: string;
}

/** Reads the outbox for the development mailbox: every realm's email, newest first. */
export function createDevMailbox({ outbox, realms }: { outbox: Outbox; realms: Pick<Realms, "find"> }) {
  async function slugsOf(realmIds: string[]) {
    const slugs = new Map<string, string>();
    for (const id of new Set(realmIds)) slugs.set(id, (await realms.find(id))?.slug ?? id);
    return slugs;
  }

  return {
    async list(limit = 100): Promise<MailboxEmail[]> {
      const emails = await outbox.latest({ limit });
      const slugs = await slugsOf(emails.map((e) => e.realmId));
      return emails.map((e) => ({ ...e, realmSlug: slugs.get(e.realmId) ?? e.realmId }));
    },

    async show(realmId: string, id: string) {
      if (!/^rl_[a-z0-9]{1,60}$/.test(realmId) || !/^em_[a-z0-9]{1,60}$/.test(id)) return null;
      const email = await outbox.find(realmId, id);
      if (!email) return null;
      const slugs = await slugsOf([realmId]);
      const attempts = await outbox.attempts(realmId, [id]);
      return { email: { ...email, realmSlug: slugs.get(realmId) ?? realmId }, attempts };
    },
  };
}

export type DevMailbox = ReturnType<typeof createDevMailbox>;
