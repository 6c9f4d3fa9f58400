import { defineConfig, devices } from "@playwright/test";
import { API_KEY, PORTAL_PORT, PORTAL_URL } from "./e2e/settings";

/**
 * End-to-end suite: Chromium against `next start` on a fresh embedded database (e2e/server.mjs).
 * Each test creates its own realm, app and users through the management API and its own demo app
 * (e2e/fixtures.ts), so tests are independent and can run in parallel.
 */
export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // The JSON report feeds the summary line of `npm test` (scripts/test-all.mjs).
  reporter: [
    ["list"],
    ["json", { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? ".test-data/reports/e2e.json" }],
  ],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    ...devices["Desktop Chrome"],
    baseURL: PORTAL_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium" }],
  webServer: {
    command: "node e2e/server.mjs",
    // A route that opens the database: ready means migrated and answering (401 without a key).
    url: `${PORTAL_URL}/api/v1/realms`,
    env: {
      PORT: String(PORTAL_PORT),
      PUBLIC_URL: PORTAL_URL,
      GATEHOUSE_BOOTSTRAP_API_KEY: API_KEY,
    },
    // A stale server would hold another database and key: never reuse one.
    reuseExistingServer: false,
    // Cold build (if sources changed) ≈ 35 s plus the first database open.
    timeout: 180_000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
