// The physical limits the portal is compared with, measured in a process of their own on the same
// machine in the same run: bcrypt verifications per second at the realm's cost, and jose signatures
// per second for the realm's token algorithm, each with `parallel` calls in flight (the portal
// hashes one password per core: lib/passwords/slots.ts).
import { generateKeyPair, SignJWT } from "jose";

async function bcryptLibrary() {
  try {
    const mod = await import("bcrypt");
    return { name: "bcrypt", lib: mod.default ?? mod };
  } catch {
    // What the portal falls back to (lib/passwords/bcrypt-engine.ts). Here it runs on this one
    // thread, so its rate is one core's, where the portal's worker threads use every core.
    const mod = await import("bcryptjs");
    return { name: "bcryptjs", lib: mod.default ?? mod };
  }
}

/** Runs `task` in `parallel` loops for `seconds`; completions per second. */
async function rate(task, parallel, seconds) {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (performance.now() < until) {
        await task();
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

export async function bcryptVerifyRate({ cost, parallel, seconds }) {
  const { name, lib } = await bcryptLibrary();
  const hash = await lib.hash("quiet-harbor-lantern-2718", cost);
  let verified = 0;
  const cpu = process.cpuUsage(); // every thread of this process, the libuv pool's among them
  const perSec = await rate(
    async () => {
      await lib.compare("quiet-harbor-lantern-2718", hash);
      verified++;
    },
    parallel,
    seconds,
  );
  const used = process.cpuUsage(cpu);
  return { library: name, perSec, cpuMsPerVerify: (used.user + used.system) / 1000 / verified };
}

export async function joseSignRate({ algorithm, parallel, seconds }) {
  const { privateKey } =
    algorithm === "HS256"
      ? { privateKey: crypto.getRandomValues(new Uint8Array(32)) }
      : await generateKeyPair(algorithm, { crv: algorithm === "EdDSA" ? "Ed25519" : undefined });
  // Claims shaped like a login token's (lib/tokens/login-token.ts).
  const claims = {
    rid: "rl_01jbench000000000000000000",
    sid: "ses_01jbench000000000000000000",
    preferred_username: "user1@bench.test",
    email: "user1@bench.test",
    email_verified: true,
    amr: ["pwd"],
    auth_time: Math.floor(Date.now() / 1000),
  };
  const sign = () =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: algorithm, kid: "key_bench", typ: "JWT" })
      .setIssuer("http://localhost/bench")
      .setAudience("app_01jbench000000000000000000")
      .setSubject("usr_01jbench000000000000000000")
      .setJti("0123456789abcdefghijkl")
      .setIssuedAt()
      .setExpirationTime("15m")
      .sign(privateKey);
  return { perSec: await rate(sign, parallel, seconds) };
}

if (process.send && import.meta.url === `file://${process.argv[1]}`) {
  process.once("message", async ({ kind, ...options }) => {
    try {
      const result = kind === "bcrypt" ? await bcryptVerifyRate(options) : await joseSignRate(options);
      process.send({ result });
    } catch (error) {
      process.send({ error: error instanceof Error ? error.stack : String(error) });
    }
    process.disconnect();
  });
}
