// The ceiling for the hosted login page: a bare node:http server answering every request with the
// bytes the portal sent for that page (same body, same headers but its cookie). Forked by
// scripts/bench/run.mjs; answers "listening" over IPC.
import http from "node:http";

process.once("message", ({ port, body, headers }) => {
  const bytes = Buffer.from(body);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { ...headers, "content-length": bytes.length });
    res.end(bytes);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, "127.0.0.1", () => process.send("listening"));
  process.on("disconnect", () => process.exit(0));
});
