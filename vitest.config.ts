import path from "node:path";
import { defineConfig } from "vitest/config";

export const shared = {
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      "server-only": path.resolve(import.meta.dirname, "test/empty-module.ts"),
    },
  },
};

/** Unit tests: pure logic with fakes, no database, no network. */
export default defineConfig({
  ...shared,
  test: {
    include: ["lib/**/*.test.ts", "components/**/*.test.{ts,tsx}", "scripts/**/*.test.ts"],
    exclude: ["**/*.db.test.ts", "**/node_modules/**"],
    environment: "node",
  },
});
