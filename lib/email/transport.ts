import type { OutboxEmail } from "./outbox";

/** Something that hands a rendered email to the world; returns the server's message id. */
export interface MailTransport {
  readonly kind: "smtp" | "development";
  send(email: OutboxEmail): Promise<{ messageId: string | null }>;
  close?(): void;
}

/**
 * One Message-ID per outbox email, the same on every attempt. Delivery is at least once: a worker
 * killed after the SMTP server accepted an email but before that was recorded sends it again once
 * the lease ends, and the receiving side can recognise the repeat by its Message-ID.
 */
export function messageIdOf(email: Pick<OutboxEmail, "id" | "fromAddress">): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(email.fromAddress)?.[1] ?? "gatehouse.invalid";
  return `<${email.id}@${domain}>`;
}

/**
 * SMTP through nodemailer from `SMTP_URL` (smtp:// or smtps://; nodemailer's query options such as
 * `?requireTLS=true`, `?tls.rejectUnauthorized=false` or `?pool=true`) apply. Short timeouts:
 * a slow server fails the attempt and the outbox retries it later.
 */
export async function createSmtpTransport(url: string): Promise<MailTransport> {
  const { default: nodemailer } = await import("nodemailer");
  const transporter = nodemailer.createTransport(url, {
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  // Timeouts are not URL options: set them on the parsed options.
  Object.assign((transporter as unknown as { options: Record<string, unknown> }).options, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    kind: "smtp",
    async send(email) {
      const info = await transporter.sendMail({
        from: email.fromAddress,
        to: email.toAddress,
        subject: email.subject,
        html: email.html,
        text: email.text,
        messageId: messageIdOf(email),
        headers: { "X-Gatehouse-Email": email.id },
      });
      return { messageId: info.messageId ?? null };
    },
    close: () => transporter.close(),
  };
}

/** Links in a text body: what the development transport prints. */
export const linksIn = (text: string): string[] => text.match(/https?:\/\/[^\s<>"']+/g) ?? [];

/**
 * Development: nothing leaves the machine. The email stays in the outbox (readable at the
 * development mailbox) and its links are printed on the console.
 */
export function createDevelopmentTransport(log: (line: string) => void = console.log): MailTransport {
  return {
    kind: "development",
    async send(email) {
      const links = linksIn(email.text);
      log(`[mail] to ${email.toAddress}: ${email.subject}${links.map((l) => `\n[mail]   ${l}`).join("")}`);
      return { messageId: null };
    },
  };
}
