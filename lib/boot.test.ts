import { describe, expect, it } from "vitest";
import { type BootDeps, boot } from "./boot";
import { parseEnv } from "./env";

function fakes(overrides: Partial<BootDeps>) {
  const seen = { exit: undefined as number | undefined, log: [] as string[], opened: false };
  const deps: BootDeps = {
    loadEnv: () => ({}),
    openDb: async () => {
      seen.opened = true;
    },
    startWorkers: async () => {},
    exit: (code) => {
      seen.exit = code;
    },
    log: (message) => seen.log.push(message),
    ...overrides,
  };
  return { deps, seen };
}

describe("boot", () => {
  it("stops with exit code 1 and names the bad variable, before opening the database", async () => {
    const { deps, seen } = fakes({ loadEnv: () => parseEnv({ DATABASE_URL: "mysql://x/y" }) });
    await boot(deps);
    expect(seen.exit).toBe(1);
    expect(seen.log.join("")).toMatch(/Gatehouse cannot start: Invalid environment:\s+DATABASE_URL/);
    expect(seen.opened).toBe(false);
  });

  it("stops when the database cannot be opened (or migrated)", async () => {
    const { deps, seen } = fakes({
      openDb: async () => {
        throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
      },
    });
    await boot(deps);
    expect(seen.exit).toBe(1);
    expect(seen.log.join("")).toContain("ECONNREFUSED");
  });

  it("opens the database and carries on when all is well", async () => {
    const { deps, seen } = fakes({});
    await boot(deps);
    expect(seen.opened).toBe(true);
    expect(seen.exit).toBeUndefined();
  });
});
