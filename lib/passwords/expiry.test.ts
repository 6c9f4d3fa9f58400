import { describe, expect, it } from "vitest";
import { passwordChangeReason } from "./expiry";

const changedAt = new Date("2026-01-01T00:00:00Z");
const days = (n: number) => new Date(changedAt.getTime() + n * 86_400_000);

describe("passwordChangeReason", () => {
  it("never asks when expiry is off and no admin asked", () => {
    expect(passwordChangeReason({ mustChange: false, changedAt }, null, days(10_000))).toBeNull();
  });

  it("asks once the configured number of days has passed, not a millisecond before", () => {
    const credential = { mustChange: false, changedAt };
    expect(passwordChangeReason(credential, 90, new Date(days(90).getTime() - 1))).toBeNull();
    expect(passwordChangeReason(credential, 90, days(90))).toBe("expired");
    expect(passwordChangeReason(credential, 90, days(400))).toBe("expired");
  });

  it("asks when an admin marked the user, whatever the expiry", () => {
    expect(passwordChangeReason({ mustChange: true, changedAt }, null, changedAt)).toBe("required");
    expect(passwordChangeReason({ mustChange: true, changedAt }, 90, days(100))).toBe("required");
  });
});
