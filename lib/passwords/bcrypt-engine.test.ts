import { spawnSync } from "node:child_process";
import path from "node:path";
import bcrypt from "bcrypt";
import { describe, expect, it } from "vitest";
import { type BcryptLoaders, selectBcryptEngine } from "./bcrypt-engine";
import { createBcryptjsWorkers } from "./bcryptjs-workers";

const COST = 4;

/** Loaders that record what was asked of them; a loader given an Error fails with it. */
function loaders(native: Error | "ok", fallback: Error | "ok") {
  const calls: string[] = [];
  const fake = (name: string, outcome: Error | "ok") => async () => {
    calls.push(name);
    if (outcome !== "ok") throw outcome;
    return { hash: async () => `${name}-hash`, compare: async () => true };
  };
  const given: BcryptLoaders = { native: fake("native", native), fallback: fake("fallback", fallback) };
  return { given, calls };
}

describe("selectBcryptEngine", () => {
  it("uses the native binding when it loads, and never loads the fallback", async () => {
    const { given, calls } = loaders("ok", "ok");
    const warnings: string[] = [];
    const engine = await selectBcryptEngine(given, (m) => warnings.push(m));
    expect(engine.name).toBe("bcrypt");
    expect(await engine.hash("pw", COST)).toBe("native-hash");
    expect(calls).toEqual(["native"]);
    expect(warnings).toEqual([]);
  });

  it("falls back to bcryptjs when the binding does not load, and says why once", async () => {
    const { given, calls } = loaders(new Error("No native build was found for platform=x"), "ok");
    const warnings: string[] = [];
    const engine = await selectBcryptEngine(given, (m) => warnings.push(m));
    expect(engine.name).toBe("bcryptjs");
    expect(await engine.hash("pw", COST)).toBe("fallback-hash");
    expect(calls).toEqual(["native", "fallback"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("No native build was found for platform=x");
    expect(warnings[0]).toContain("bcryptjs");
  });

  it("fails with both reasons when neither loads", async () => {
    const { given } = loaders(new Error("binding gone"), new Error("bcryptjs gone"));
    await expect(selectBcryptEngine(given, () => {})).rejects.toThrow(
      "no bcrypt implementation loads: bcrypt (binding gone), bcryptjs (bcryptjs gone)",
    );
  });
});

describe("bcryptjs in worker threads (the fallback itself)", () => {
  const workers = createBcryptjsWorkers(2);

  it("writes hashes the native library reads, and reads the native library's", async () => {
    const fromWorker = await workers.hash("correct horse", COST);
    expect(fromWorker).toMatch(/^\$2b\$04\$/);
    expect(await bcrypt.compare("correct horse", fromWorker)).toBe(true);

    const fromNative = await bcrypt.hash("battery staple", COST);
    expect(await workers.compare("battery staple", fromNative)).toBe(true);
    expect(await workers.compare("battery stapler", fromNative)).toBe(false);
    expect(workers.threads).toBeGreaterThan(0);
  });

  it("spreads parallel jobs over its threads and answers each one", async () => {
    const hashes = await Promise.all(["a", "b", "c", "d"].map((p) => workers.hash(p, COST)));
    const checks = await Promise.all(hashes.map((h, i) => workers.compare(["a", "b", "c", "d"][i] ?? "", h)));
    expect(checks).toEqual([true, true, true, true]);
    expect(workers.threads).toBe(2);
  });

  it("passes an error of bcryptjs back to the caller instead of hanging", async () => {
    // A type error of a caller, only reachable around TypeScript, is still answered.
    await expect(workers.compare("pw", undefined as unknown as string)).rejects.toThrow(/Illegal arguments/);
    await expect(workers.compare("pw", "$2b$04$validlength")).resolves.toBe(false);
  });

  // Regression: unref'd threads let a script exit while it still awaited a hash (the bench's seed
  // ended without its answer); a ref'd idle thread kept it alive forever.
  it("keeps a process alive while a hash is in progress, and lets it exit once idle", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const script = `import { createBcryptjsWorkers } from "./lib/passwords/bcryptjs-workers.ts";
      createBcryptjsWorkers(1).hash("pw", 4).then((h) => console.log(h.slice(0, 7)));`;
    const run = spawnSync(
      process.execPath,
      [path.join(root, "node_modules/tsx/dist/cli.mjs"), "-e", script],
      {
        cwd: root,
        encoding: "utf8",
        timeout: 30_000,
      },
    );
    expect(run.stdout.trim()).toBe("$2b$04$");
    expect(run.status).toBe(0);
  }, 40_000);

  it("fails to start, naming the module, when bcryptjs cannot be found", () => {
    expect(() => createBcryptjsWorkers(1, "/nonexistent-root")).toThrow(/bcryptjs/);
  });
});
