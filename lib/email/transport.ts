import type { OutboxEmail } from "./outbox";

/** Something that hands a rendered email to the world; returns the server's message id. */
export interface MailTransport {
  readonly kind: "smtp" | "development";
  send(email: OutboxEmail): Promise<{ messageId: string | null }>;
  close?(): void;
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
