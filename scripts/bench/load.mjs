// The load generator: one scenario per process (forked by scripts/bench/run.mjs), so that its CPU
// is not the server's. Gets the scenario as an IPC message, runs autocannon, sends back the figures.
import autocannon from "autocannon";
import { cookiePairs, hiddenFields, loginOutcome, mergeCookies, multipart } from "./login-form.mjs";
import { percentile } from "./report.mjs";

const lower = (headers) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/** One of `count` client addresses (10.x.y.z), as a trusted proxy would name it; none for 1. */
function clientAddress(count) {
  if (!(count > 1)) return {};
  const n = Math.floor(Math.random() * count);
  return { "x-forwarded-for": `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` };
}

/**
 * A login per loop of each connection: GET the form (a fresh browser: no cookies, one of
 * `clientAddresses` addresses), POST it with a random seeded user, and stop at the 303 back to the
 * app. The time from the GET to the answer of the POST is one login.
 */
function loginRequests(s, tally) {
  return [
    {
      method: "GET",
      path: s.loginPath,
      setupRequest(req, context) {
        context.startedAt = performance.now();
        context.address = clientAddress(s.clientAddresses);
        return { ...req, headers: { ...req.headers, ...context.address } };
      },
      onResponse(_status, body, context, headers) {
        context.cookies = cookiePairs(lower(headers)["set-cookie"]);
        const user = Math.floor(Math.random() * s.users);
        context.form = multipart([
          ...hiddenFields(body),
          ["email", `user${user}@bench.test`],
          ["password", s.password],
        ]);
      },
    },
    {
      method: "POST",
      path: s.loginPath,
      setupRequest(req, context) {
        if (!context.form) return null; // the GET failed: start this login again
        context.postedAt = performance.now();
        return {
          ...req,
          headers: {
            ...req.headers,
            ...context.address,
            "content-type": context.form.contentType,
            cookie: mergeCookies(context.cookies),
            origin: s.origin,
          },
          body: context.form.body,
        };
      },
      onResponse(status, body, context, headers) {
        const outcome = loginOutcome(status, lower(headers).location, body);
        tally[outcome]++;
        if (outcome === "ok") tally.latencies.push(performance.now() - context.startedAt);
        // How fast a refusal comes back is timed from the POST: that is what shedding controls.
        else if (outcome === "busy") tally.busyLatencies.push(performance.now() - context.postedAt);
      },
    },
  ];
}

/** Counts answers that carry what the scenario must get (a token, a created user…). */
function checkedRequest(s, tally, check) {
  return {
    method: s.method ?? "GET",
    path: s.path,
    ...(s.body ? { body: s.body } : {}),
    setupRequest(req) {
      return s.uniqueBody
        ? { ...req, body: s.uniqueBody.replace("{n}", `${process.pid}-${tally.n++}`) }
        : req;
    },
    onResponse(status, _body, _context, headers) {
      if (check(status, lower(headers))) tally.ok++;
      else tally.failed++;
    },
  };
}

const CHECKS = {
  page: (status) => status === 200,
  sso: (status, headers) => status === 303 && /[?&]token=/.test(headers.location ?? ""),
  created: (status) => status === 201,
};

export async function runScenario(s) {
  const tally = { ok: 0, busy: 0, failed: 0, n: 0, latencies: [], busyLatencies: [] };
  const requests =
    s.kind === "login" ? loginRequests(s, tally) : [checkedRequest(s, tally, CHECKS[s.check ?? "page"])];
  const result = await autocannon({
    url: s.url,
    connections: s.connections,
    duration: s.duration,
    timeout: 30,
    headers: s.headers ?? {},
    requests,
  });
  const latencies = tally.latencies.sort((a, b) => a - b);
  const busy = tally.busyLatencies.sort((a, b) => a - b);
  const seconds = result.duration;
  const answered = result.requests.total > 0; // else autocannon reports latencies of 0
  const figures = {
    seconds,
    requestsPerSec: result.requests.total / seconds,
    p50: answered ? result.latency.p50 : null,
    p99: answered ? result.latency.p99 : null,
    ok: tally.ok,
    failed: tally.failed,
    errors: result.errors + result.timeouts,
    statusCodes: result.statusCodeStats,
  };
  if (s.kind !== "login") return { ...figures, okPerSec: tally.ok / seconds };
  return {
    ...figures,
    ok: latencies.length,
    busy: tally.busy,
    okPerSec: latencies.length / seconds,
    loginP50: percentile(latencies, 50),
    loginP99: percentile(latencies, 99),
    busyP50: percentile(busy, 50),
    busyP99: percentile(busy, 99),
  };
}

// Forked by run.mjs (only then: imported into a process that has its own IPC, it must stay quiet).
if (process.send && import.meta.url === `file://${process.argv[1]}`) {
  process.once("message", async (scenario) => {
    try {
      process.send({ result: await runScenario(scenario) });
    } catch (error) {
      process.send({ error: error instanceof Error ? error.stack : String(error) });
    }
    process.disconnect();
  });
}
