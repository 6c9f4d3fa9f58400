// Turns the repeats of a bench run into min/median/max and a Markdown table (bench/results/).

/** Percentile of sorted numbers (nearest rank); null when there are none. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** min, median and max of the numbers given (nulls skipped); null when there are none. */
export function summarize(values) {
  const sorted = values.filter((v) => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1] };
}

/** Element-wise a/b of two equally long series (each repeat's ratio), then summarized. */
export function ratio(a, b) {
  return summarize(a.map((x, i) => (typeof x === "number" && b[i] ? x / b[i] : null)));
}

const pick = (runs, key) => (runs ?? []).map((r) => r?.[key] ?? null);

function format(value, unit) {
  if (value === null || value === undefined) return "–";
  if (unit === "×") return value.toFixed(2);
  if (unit === "%") return `${(value * 100).toFixed(0)} %`;
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** The rows of one backend: [label, summary, unit]. */
export function backendRows(b, settings) {
  const s = b.scenarios;
  const cores = settings.parallel;
  const rows = [];
  const add = (label, summary, unit) => rows.push([label, summary, unit]);
  const raw = b.raw.bcrypt;
  add(
    `raw bcrypt verify, cost ${settings.cost}, ${cores} in flight (${b.raw.bcryptLibrary})`,
    summarize(raw),
    "verifies/s",
  );
  add(`↳ CPU of one raw verify`, summarize(b.raw.bcryptCpuMs ?? []), "ms");
  const one = s[`login c${cores}`];
  add(`password login, one per core (c=${cores})`, summarize(pick(one, "okPerSec")), "logins/s");
  add(`↳ login ÷ raw verify`, ratio(pick(one, "okPerSec"), raw), "×");
  add(`↳ server CPU per login`, summarize(pick(one, "serverCpuMsPerOk")), "ms");
  add(
    `↳ **raw verify CPU ÷ login CPU (headline, steady under machine load)**`,
    ratio(b.raw.bcryptCpuMs ?? [], pick(one, "serverCpuMsPerOk")),
    "×",
  );
  for (const c of settings.loginConnections) {
    const runs = s[`login c${c}`];
    add(`**password login end to end, c=${c}**`, summarize(pick(runs, "okPerSec")), "logins/s");
    add(`↳ **login ÷ raw verify (headline)**`, ratio(pick(runs, "okPerSec"), raw), "×");
    add(`↳ login p50`, summarize(pick(runs, "loginP50")), "ms");
    add(`↳ login p99`, summarize(pick(runs, "loginP99")), "ms");
    add(
      `↳ shed with the busy page`,
      summarize(pick(runs, "busy").map((n, i) => n / (runs[i]?.seconds || 1))),
      "logins/s",
    );
    add(`↳ busy answer p50, from the POST`, summarize(pick(runs, "busyP50")), "ms");
    add(`↳ failed (neither token nor busy page)`, summarize(pick(runs, "failed")), "count");
  }
  const page = s[`page c${settings.pageConnections}`];
  const ceiling = s[`ceiling c${settings.pageConnections}`];
  add(
    `hosted login page GET, c=${settings.pageConnections}`,
    summarize(pick(page, "requestsPerSec")),
    "req/s",
  );
  add(`↳ page p99`, summarize(pick(page, "p99")), "ms");
  add(`↳ server CPU per page`, summarize(pick(page, "serverCpuMsPerOk")), "ms");
  add(`plain node:http, same bytes (ceiling)`, summarize(pick(ceiling, "requestsPerSec")), "req/s");
  add(`↳ ceiling p99`, summarize(pick(ceiling, "p99")), "ms");
  add(`↳ ceiling CPU per response`, summarize(pick(ceiling, "serverCpuMsPerOk")), "ms");
  add(`↳ page ÷ ceiling`, ratio(pick(page, "requestsPerSec"), pick(ceiling, "requestsPerSec")), "×");
  const busyPage = s[`page during login c${settings.saturatingConnections}`];
  add(
    `login page while logins run at c=${settings.saturatingConnections}, p50`,
    summarize(pick(busyPage, "p50")),
    "ms",
  );
  add(`↳ p99`, summarize(pick(busyPage, "p99")), "ms");
  add(`↳ page req/s meanwhile`, summarize(pick(busyPage, "requestsPerSec")), "req/s");
  const sso = s[`sso c${settings.ssoConnections}`];
  add(
    `seamless SSO (GET /login with a session → 303 + token), c=${settings.ssoConnections}`,
    summarize(pick(sso, "okPerSec")),
    "tokens/s",
  );
  add(`↳ SSO p99`, summarize(pick(sso, "p99")), "ms");
  add(`↳ server CPU per token`, summarize(pick(sso, "serverCpuMsPerOk")), "ms");
  add(`raw jose sign, ${settings.algorithm}, ${cores} in flight`, summarize(b.raw.jose), "signs/s");
  add(`↳ SSO ÷ raw sign`, ratio(pick(sso, "okPerSec"), b.raw.jose), "×");
  const create = s[`api create c${settings.apiConnections}`];
  const list = s[`api list c${settings.apiConnections}`];
  add(
    `API: create user (no password), c=${settings.apiConnections}`,
    summarize(pick(create, "okPerSec")),
    "users/s",
  );
  add(`↳ p99`, summarize(pick(create, "p99")), "ms");
  add(
    `API: list users (50 a page), c=${settings.apiConnections}`,
    summarize(pick(list, "okPerSec")),
    "req/s",
  );
  add(`↳ p99`, summarize(pick(list, "p99")), "ms");
  const big = s[`login c${settings.loginConnections[0]} at ${settings.bigUsers} users`];
  const small = s[`login c${settings.loginConnections[0]}`];
  add(`login at ${settings.users} users ÷ raw verify (from above)`, ratio(pick(small, "okPerSec"), raw), "×");
  add(`↳ p50 (from above)`, summarize(pick(small, "loginP50")), "ms");
  add(
    `login at ${settings.bigUsers} users, c=${settings.loginConnections[0]}`,
    summarize(pick(big, "okPerSec")),
    "logins/s",
  );
  add(
    `↳ login ÷ raw verify (measured again in each repeat)`,
    ratio(pick(big, "okPerSec"), b.raw.bcryptBig),
    "×",
  );
  add(`↳ p50`, summarize(pick(big, "loginP50")), "ms");
  add(`↳ p99`, summarize(pick(big, "loginP99")), "ms");
  add(
    `↳ p50 at ${settings.bigUsers} ÷ p50 at ${settings.users}`,
    ratio(pick(big, "loginP50"), pick(small, "loginP50")),
    "×",
  );
  add(
    `server peak RSS (VmHWM) at ${settings.users} users`,
    b.peakRssMb.small === null
      ? null
      : { min: b.peakRssMb.small, median: b.peakRssMb.small, max: b.peakRssMb.small },
    "MB",
  );
  add(
    `server peak RSS (VmHWM) at ${settings.bigUsers} users`,
    b.peakRssMb.big === null ? null : { min: b.peakRssMb.big, median: b.peakRssMb.big, max: b.peakRssMb.big },
    "MB",
  );
  return rows;
}

export function markdown(results) {
  const { settings, machine } = results;
  const lines = [
    "# Benchmark results (`npm run bench`)",
    "",
    `Run ${machine.date} on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, commit ${machine.commit}.`,
    `Load average ${machine.loadBefore.join(" / ")} before the run and ${machine.loadAfter.join(" / ")} after it.`,
    "",
    ...(results.note ? [`> ${results.note}`, ""] : []),
    `Each figure is min / median / max over ${settings.repeats} repeats of ${settings.duration} s, load generated by`,
    "autocannon in a separate process. The realm hashes with bcrypt cost " +
      `**${settings.cost}**${settings.cost === 12 ? "" : " (the bench realm's choice; a new realm's default is 12, about 4× slower per login)"}` +
      `, signs with ${settings.algorithm}; the portal admits ${settings.parallel} + ${settings.loginQueue} logins at once (one per core hashing, the rest waiting) and answers the others with the busy page.`,
    "",
    "How to read it: *login ÷ raw verify* (logins per second over bcrypt verifications per second on the",
    "same cores in the same repeat) is the headline; 1.00 would mean the portal adds nothing to the cost",
    "of the password hash, and the rest (page, form action, CSRF, throttle, session, token, database) is",
    "the gap. On a shared machine the rates move with other people's work; *raw verify CPU ÷ login CPU*",
    "(CPU time of one verify over the server's CPU time per login, one login per core) says the same",
    "from CPU accounting and moves much less.",
    "",
  ];
  for (const b of results.backends) {
    lines.push(`## ${b.name}`, "", "| measure | min | median | max | unit |", "|---|---:|---:|---:|---|");
    for (const [label, summary, unit] of backendRows(b, settings)) {
      lines.push(
        `| ${label} | ${format(summary?.min, unit)} | ${format(summary?.median, unit)} | ${format(summary?.max, unit)} | ${unit} |`,
      );
    }
    lines.push("");
  }
  lines.push(
    "Scenarios: a login is GET the form (fresh cookies) → POST it multipart as a browser without",
    "JavaScript does (hidden server-action fields, CSRF field and cookie) with a random seeded user →",
    "303 to the app with a token; its latency runs from the GET to that answer. The page under load is",
    `GET /login at c=${settings.pageConnections} while a second generator runs logins at c=${settings.saturatingConnections}.`,
    "Raw figures are measured in a separate process between the scenarios of each repeat. Server CPU is",
    "the portal process's (all its threads: hashing included; with PGlite the database too, with",
    "PostgreSQL not the database's own processes), divided by the answers that succeeded.",
    "",
  );
  return lines.join("\n");
}
