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
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
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
        })
        .catch(callback);
    },
  });

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
