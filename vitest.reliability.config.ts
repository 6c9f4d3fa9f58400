import { defineConfig } from "vitest/config";
import { shared } from "./vitest.config";

/**
 * `npm run test:reliability` (scripts/test-reliability.mjs): real portal processes on the production
 * build, real HTTP, real PostgreSQL. One file at a time: each starts its own servers and databases,
 * and the load test needs the machine to itself.
 */
export default defineConfig({
  ...shared,
  test: {
    include: ["test/reliability/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
