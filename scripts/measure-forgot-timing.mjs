// Measures how long `POST /{realm}/forgot` takes for an address with an account and for one
// without, over HTTP against a running portal, the way a person's browser posts the form without
// JavaScript. A measurement, not a test: it prints figures (DESIGN section 9).
//
//   PORTAL_URL=http://localhost:3300 API_KEY=<bootstrap key> node scripts/measure-forgot-timing.mjs [rounds]
//
// It creates its own realm (limits raised so that no request is refused), app and user.
const base = process.env.PORTAL_URL ?? "http://localhost:3000";
const key = process.env.API_KEY ?? process.env.GATEHOUSE_BOOTSTRAP_API_KEY;
const rounds = Number(process.argv[2] ?? 40);
if (!key) {
  console.error("set API_KEY (the portal's bootstrap API key)");
  process.exit(1);
}

async function api(method, path, body) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const slug = `timing-${Date.now().toString(36)}`;
await api("POST", "/realms", {
  slug,
  name: "Timing",
  settings: { bcrypt_cost: 4, reset_ip_per_hour: 100_000, email_per_recipient_per_hour: 100 },
});
const app = await api("POST", `/realms/${slug}/apps`, {
  name: "Timing app",
  redirect_uris: ["https://app.example/callback"],
});
const known = `known-${Date.now()}@example.com`;
await api("POST", `/realms/${slug}/users`, { email: known, password: "a fine long passphrase" });

// The form as the page serves it: its hidden fields (the server action's id, the CSRF token, the
// entry) and the CSRF cookie.
const formUrl = `${base}/${slug}/forgot?client_id=${app.id}`;
const page = await fetch(formUrl);
const cookie = (page.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
const html = await page.text();
const hidden = [...html.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)].map((m) => [
  m[1],
  (m[2] ?? "")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&"),
]);
if (!hidden.some(([name]) => name.startsWith("$ACTION_"))) throw new Error("no server action in the form");

async function post(email) {
  const body = new FormData();
  for (const [name, value] of hidden) body.append(name, value);
  body.append("email", email);
  const started = performance.now();
  const response = await fetch(formUrl, { method: "POST", body, headers: { cookie, origin: base } });
  const text = await response.text();
  const ms = performance.now() - started;
  if (!text.includes("Check your email.")) throw new Error(`unexpected answer (${response.status})`);
  return ms;
}

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return `median ${at(0.5).toFixed(1)} ms  p90 ${at(0.9).toFixed(1)} ms  mean ${mean.toFixed(1)} ms  (n=${sorted.length})`;
};

// Warm-up (compilation caches, connections), then the two kinds interleaved so that drift in the
// machine's load affects both alike. A pause after each lets the deferred sending finish.
for (let i = 0; i < 5; i++) await post(i % 2 ? known : `warm-${i}@example.com`);
const times = { known: [], unknown: [] };
for (let i = 0; i < rounds; i++) {
  const order = i % 2 ? ["known", "unknown"] : ["unknown", "known"];
  for (const kind of order) {
    times[kind].push(await post(kind === "known" ? known : `nobody-${i}-${Date.now()}@example.com`));
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
console.log(`POST /${slug}/forgot, ${rounds} rounds each`);
console.log(`  address with an account:    ${stats(times.known)}`);
console.log(`  address without an account: ${stats(times.unknown)}`);
