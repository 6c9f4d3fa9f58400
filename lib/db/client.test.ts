import { describe, expect, it } from "vitest";
import { reconnectDelaySeconds } from "./client";

describe("reconnectDelaySeconds", () => {
  it("never keeps a query waiting more than half a second, however long PostgreSQL has been down", () => {
    for (const retries of [0, 1, 5, 10, 100]) {
      expect(reconnectDelaySeconds(retries, () => 1)).toBeLessThanOrEqual(0.5);
      expect(reconnectDelaySeconds(retries, () => 0)).toBeGreaterThan(0);
    }
  });

  it("backs off from the first retries (not a busy loop against a server that is down)", () => {
    expect(reconnectDelaySeconds(0, () => 1)).toBe(0.05);
    expect(reconnectDelaySeconds(3, () => 1)).toBe(0.4);
    expect(reconnectDelaySeconds(10, () => 1)).toBe(0.5);
  });
});
