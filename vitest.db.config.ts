import { defineConfig } from "vitest/config";
import { shared } from "./vitest.config";

/**
 * DB tests against a real database: PGlite by default, PostgreSQL when TEST_DATABASE_URL is set.
 * globalSetup migrates once; each file opens a copy (PGlite) or the shared database (PostgreSQL).
 * Tests isolate themselves by creating their own realms, which is how tenants are isolated anyway.
 */
export default defineConfig({
  ...shared,
  test: {
    include: ["lib/**/*.db.test.ts", "test/**/*.db.test.ts"],
    environment: "node",
    globalSetup: ["test/db-global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
