// The e2e mail catcher: a real SMTP server (test/smtp-catcher.mjs) for the portal, plus a small
// JSON view of what it caught for the Playwright fixtures (e2e/fixtures.ts `mail`):
//   GET  /messages?to=&subject=&after=   → [{ id, to, subject, text, html, links, … }]
//   POST /down?value=1|0                 → the SMTP server refuses (421) or accepts again
import { createServer } from "node:http";
import { startSmtpCatcher } from "../test/smtp-catcher.mjs";

export async function startMailCatcher({ smtpPort, apiPort }) {
  const smtp = await startSmtpCatcher({ port: smtpPort });
  const api = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const reply = (status, body) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && url.pathname === "/messages") {
      const after = Number(url.searchParams.get("after") ?? 0);
      const list = smtp
        .find({
          to: url.searchParams.get("to") ?? undefined,
          subject: url.searchParams.get("subject") ?? undefined,
        })
        .filter((m) => m.id > after);
      return reply(200, list);
    }
    if (req.method === "POST" && url.pathname === "/down") {
      smtp.setDown(url.searchParams.get("value") === "1");
      return reply(200, { down: url.searchParams.get("value") === "1" });
    }
    reply(404, { error: "not found" });
  });
  await new Promise((resolve) => api.listen(apiPort, "127.0.0.1", resolve));
  return {
    smtpUrl: smtp.url,
    async close() {
      api.close();
      await smtp.close();
    },
  };
}
