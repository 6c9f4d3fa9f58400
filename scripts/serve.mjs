// The portal's HTTP server: Next.js behind a thin node:http layer whose one job is to say who the
// client is. Next does not expose the socket address to pages and actions, and the
// `x-forwarded-for` it passes on is whatever the client sent. Here the address comes from the
// socket, or from `x-forwarded-for` only as far as GATEHOUSE_TRUSTED_PROXIES hops are trusted, and
// travels to the app as `x-gatehouse-client-ip` (any client-sent value is overwritten).
import http from "node:http";
import path from "node:path";
import next from "next";
import { answerReportedFailures } from "./request-failure-response.mjs";
import { createLoginShedder } from "./shed-busy-logins.mjs";

const root = path.resolve(import.meta.dirname, "..");

export function trustedHops(raw = process.env.GATEHOUSE_TRUSTED_PROXIES) {
  if (raw === undefined || raw === "") return 0;
  const hops = Number(raw);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
    throw new Error(`GATEHOUSE_TRUSTED_PROXIES must be a whole number of proxy hops (0–10), got "${raw}"`);
  }
  return hops;
}

/** Each trusted proxy appends the address it saw; the client is `hops` entries from the right. */
export function clientIp(socketIp, forwardedFor, hops) {
  const chain = hops
    ? String(forwardedFor ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  chain.push(socketIp ?? "");
  const ip = chain[Math.max(0, chain.length - 1 - hops)] ?? "";
  return ip.replace(/^::ffff:/, "").slice(0, 64);
}

/** Tells the app who the client is; whatever the client sent in this header is overwritten. */
export function identifyClient(req, hops) {
  req.headers["x-gatehouse-client-ip"] = clientIp(
    req.socket.remoteAddress,
    req.headers["x-forwarded-for"],
    hops,
  );
}

// Next.js answers a redirect issued while rendering a page with 307. The hosted-page contract says
// 303 See Other for the way back to the app (DESIGN section 2): for a GET the two mean the same,
// but apps and proxies may check. So a 307 from a hosted page becomes 303 here.
const HOSTED_PAGE = /^\/[a-z][a-z0-9-]{0,39}\/(login|signup|logout\/confirm|profile)(\?|$)/;

export function seeOtherForPageRedirects(req, res) {
  if (req.method !== "GET" || !HOSTED_PAGE.test(req.url ?? "")) return;
  const writeHead = res.writeHead;
  res.writeHead = function (status, ...rest) {
    return writeHead.call(this, status === 307 ? 303 : status, ...rest);
  };
}

export async function startPortal({ port, hostname = "0.0.0.0", hops = trustedHops() }) {
  const app = next({ dev: false, dir: root, hostname: "localhost", port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const shedBusyLogin = createLoginShedder();
  const server = http.createServer((req, res) => {
    if (shedBusyLogin(req, res)) return;
    identifyClient(req, hops);
    seeOtherForPageRedirects(req, res);
    answerReportedFailures(req, res);
    handle(req, res);
  });
  // Node closes idle keep-alive connections after 5 s; a client (or load balancer) that reuses one
  // at that moment gets ECONNRESET. Outlive the usual 60 s idle timeout of proxies instead.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise((resolve) => server.listen(port, hostname, resolve));
  return server;
}

/**
 * SIGTERM/SIGINT: stop taking connections, let the app finish its background work (the email
 * worker sends the email in hand and hands back the rest of its claim: lib/shutdown.ts), then exit.
 * Never longer than `timeoutMs`: what is still claimed then comes back when its lease ends.
 */
export async function shutDown({
  server,
  finishWork = () => globalThis.__gatehouseShutdown?.(),
  timeoutMs = 10_000,
  exit = (code) => process.exit(code),
  log = (line) => console.error(line),
}) {
  server.close();
  server.closeIdleConnections?.();
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve("late"), timeoutMs);
    timer.unref?.();
  });
  const done = Promise.resolve()
    .then(finishWork)
    .then(
      () => "done",
      (error) => {
        log(`[shutdown] ${error instanceof Error ? error.message : String(error)}`);
        return "done";
      },
    );
  if ((await Promise.race([done, late])) === "late") log(`[shutdown] gave up waiting after ${timeoutMs} ms`);
  clearTimeout(timer);
  exit(0);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 3000);
  const server = await startPortal({ port });
  console.log(`portal listening on :${port}`);
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void shutDown({ server });
    });
  }
}
