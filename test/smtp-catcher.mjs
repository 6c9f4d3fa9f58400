// A real SMTP server on loopback (the `smtp-server` package) that keeps every message it accepts,
// parsed with mailparser. Used by the DB tests directly and by the e2e portal (e2e/server.mjs),
// which also serves the messages as JSON for the Playwright fixtures.
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * @param {{ port?: number, host?: string }} [options]
 */
export async function startSmtpCatcher(options = {}) {
  const host = options.host ?? "127.0.0.1";
  /** @type {import("./smtp-catcher.d.mts").CaughtEmail[]} */
  const messages = [];
  const waiters = new Set();
  let down = false;
  /** While holding, a message is read but not answered (no 250 yet): see `hold`. */
  let holding = false;
  /** @type {{ sessionId: string, accept: () => void }[]} */
  let held = [];
  /** Connections gone (the sender died or hung up): a message held for them was never accepted. */
  const closed = new Set();
  let discarded = 0;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    size: 1024 * 1024,
    onConnect(_session, callback) {
      // "Down": refuse at the greeting like an overloaded or restarting server (421).
      if (down) {
        const error = Object.assign(new Error("Service not available, try later"), { responseCode: 421 });
        return callback(error);
      }
      callback();
    },
    onClose(session) {
      closed.add(session.id);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const accept = () => keep(mail, session, callback);
          if (holding) held.push({ sessionId: session.id, accept });
          else accept();
        })
        .catch(callback);
    },
  });

  /** Records a message and answers 250: from now on the sender may count it as delivered. */
  function keep(mail, session, callback) {
    const text = mail.text ?? "";
    messages.push({
      id: messages.length + 1,
      from: mail.from?.text ?? "",
      to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
      subject: mail.subject ?? "",
      text,
      html: typeof mail.html === "string" ? mail.html : "",
      links: text.match(/https?:\/\/[^\s<>"']+/g) ?? [],
      headers: Object.fromEntries([...mail.headers].map(([k, v]) => [k, String(v)])),
      receivedAt: new Date().toISOString(),
    });
    for (const waiter of waiters) waiter();
    callback();
  }

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve(undefined));
  });
  server.on("error", () => {});
  const port = /** @type {import("node:net").AddressInfo} */ (server.server.address()).port;

  const matches = (m, query) =>
    (!query.to || m.to.includes(query.to.toLowerCase())) &&
    (!query.subject ||
      (typeof query.subject === "string"
        ? m.subject.includes(query.subject)
        : query.subject.test(m.subject)));

  return {
    port,
    url: `smtp://${host}:${port}`,
    messages,
    /**
     * While holding, each message is read in full and then left unanswered: its sender waits for
     * the 250 that makes it delivered. `release()` answers the held messages whose sender is still
     * connected and drops the others (their sender never heard a 250, so the mail was not taken).
     */
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      const waiting = held;
      held = [];
      for (const message of waiting) {
        if (closed.has(message.sessionId)) discarded++;
        else message.accept();
      }
    },
    /** Messages waiting for their 250 now; messages dropped because their sender went away. */
    get heldCount() {
      return held.length;
    },
    /** Held messages whose sender is still connected. */
    get heldConnected() {
      return held.filter((m) => !closed.has(m.sessionId)).length;
    },
    get discarded() {
      return discarded;
    },
    /** While down, connections are refused with 421 (a temporary failure: senders retry). */
    setDown(value) {
      down = value;
    },
    find(query = {}) {
      return messages.filter((m) => matches(m, query));
    },
    /** The first message (after `afterId`) matching the query, waiting up to `timeoutMs`. */
    waitFor(query = {}, timeoutMs = 10_000) {
      const after = query.afterId ?? 0;
      const hit = () => messages.find((m) => m.id > after && matches(m, query));
      return new Promise((resolve, reject) => {
        const found = hit();
        if (found) return resolve(found);
        const check = () => {
          const now = hit();
          if (!now) return;
          cleanup();
          resolve(now);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no email matching ${JSON.stringify(query)} within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
      });
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
