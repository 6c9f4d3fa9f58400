export interface CaughtEmail {
  id: number;
  from: string;
  /** Envelope recipients, lower case. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Every http(s) link in the text body, in order. */
  links: string[];
  headers: Record<string, string>;
  receivedAt: string;
}

export interface MailQuery {
  to?: string;
  subject?: string | RegExp;
  /** Only messages received after this one. */
  afterId?: number;
}

export interface SmtpCatcher {
  port: number;
  url: string;
  messages: CaughtEmail[];
  setDown(down: boolean): void;
  find(query?: MailQuery): CaughtEmail[];
  waitFor(query?: MailQuery, timeoutMs?: number): Promise<CaughtEmail>;
  close(): Promise<void>;
}

export function startSmtpCatcher(options?: { port?: number; host?: string }): Promise<SmtpCatcher>;
