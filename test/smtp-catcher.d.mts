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
  /** Read messages but hold back the 250 (the sender waits) until `release()`. */
  hold(): void;
  /** Accepts the held messages whose sender is still connected; drops the others. */
  release(): void;
  readonly heldCount: number;
  /** Held messages whose sender is still connected. */
  readonly heldConnected: number;
  /** Held messages dropped because their sender was gone before `release()`. */
  readonly discarded: number;
  find(query?: MailQuery): CaughtEmail[];
  waitFor(query?: MailQuery, timeoutMs?: number): Promise<CaughtEmail>;
  close(): Promise<void>;
}

export function startSmtpCatcher(options?: { port?: number; host?: string }): Promise<SmtpCatcher>;
