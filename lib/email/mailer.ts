import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db";
import type { Realm } from "@/lib/realms";
import type { Outbox, OutboxEmail } from "./outbox";
import type { EmailTemplates, TemplateName, TemplateUser, TemplateVars } from "./templates";

/** The user as the templates see it: no ids, no hashes. */
export function templateUser(user: {
  email: string;
  username?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}): TemplateUser {
  const name = [user.firstName, user.lastName].filter(Boolean).join(" ");
  return {
    email: user.email,
    username: user.username ?? null,
    first_name: user.firstName ?? null,
    last_name: user.lastName ?? null,
    name: name || user.email,
  };
}

/** `Name <address>` with the name quoted, or the bare address; no line breaks either way. */
export function formatSender(name: string, address: string): string {
  const clean = name.replace(/["\\\r\n<>]/g, "").trim();
  return clean ? `"${clean}" <${address}>` : address;
}

/** The address inside `Name <address>` (or the whole string when it is bare). */
export const addressOf = (sender: string): string => /<([^<>]+)>\s*$/.exec(sender)?.[1] ?? sender.trim();

export interface SendEmail {
  realm: Realm;
  template: TemplateName;
  to: string;
  user: Parameters<typeof templateUser>[0] & { id?: string };
  app?: { name: string } | null;
  /** Template-specific variables: link, expires_in_minutes, device, … */
  vars?: Omit<TemplateVars, "user" | "realm" | "app" | "now" | "theme">;
}

export interface MailerDeps {
  outbox: Outbox;
  templates: EmailTemplates;
  clock: Clock;
  realmUrl: (realm: Pick<Realm, "slug">) => string;
  /** The installation's sender (GATEHOUSE_MAIL_FROM); a realm's `email_from` overrides it. */
  defaultFrom: string;
  /** Called after an email is queued: wakes this instance's delivery worker. */
  onQueued?: (email: OutboxEmail) => void;
}

/**
 * Renders a realm's template and puts the email in the outbox. Pass `tx` to queue it inside the
 * transaction of what it reports: then it is sent exactly when that commits.
 */
export function createMailer(deps: MailerDeps) {
  return {
    async send(input: SendEmail, tx?: Db): Promise<OutboxEmail> {
      const { realm } = input;
      // Read through `tx` too: on PGlite a query outside the open transaction would wait for it forever.
      const rendered = await deps.templates.render(
        realm.id,
        input.template,
        {
          ...input.vars,
          user: templateUser(input.user),
          realm: { name: realm.name, url: deps.realmUrl(realm) },
          app: input.app ? { name: input.app.name } : null,
          now: deps.clock.now().toISOString(),
        },
        tx,
      );
      const from = realm.settings.email_from ?? formatSender(realm.name, addressOf(deps.defaultFrom));
      const email = await deps.outbox.enqueue(
        {
          realmId: realm.id,
          template: input.template,
          userId: input.user.id ?? null,
          to: input.to,
          from,
          ...rendered,
        },
        tx,
      );
      deps.onQueued?.(email);
      // Queued inside a transaction, the row is invisible to the worker until the caller commits: wake
      // it once more shortly after, rather than leaving the email to the next poll.
      if (tx && deps.onQueued) setTimeout(() => deps.onQueued?.(email), 300).unref();
      return email;
    },
  };
}

export type Mailer = ReturnType<typeof createMailer>;
