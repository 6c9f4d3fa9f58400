import { describe, expect, it } from "vitest";
import { messagesFor, translator } from "@/lib/i18n";
import { describeDevice, deviceLabel } from "./device";

const t = translator(messagesFor("en"));

describe("describeDevice", () => {
  it.each([
    ["Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Linux"],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Chrome on Windows",
    ],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      "Safari on iOS",
    ],
    [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
      "Safari on macOS",
    ],
  ])("names %s", (ua, label) => {
    expect(deviceLabel(describeDevice(ua), t)).toBe(label);
  });

  it("says so when it cannot tell", () => {
    expect(describeDevice("curl/8.5.0")).toEqual({ browser: null, os: null });
    expect(deviceLabel(describeDevice(null), t)).toBe("Unknown device");
    expect(deviceLabel(describeDevice(""), t)).toBe("Unknown device");
    expect(deviceLabel({ browser: null, os: "Linux" }, t)).toBe("A browser on Linux");
    expect(deviceLabel({ browser: "Firefox", os: null }, t)).toBe("Firefox");
  });

  it("copes with hostile input", () => {
    expect(() => describeDevice("\u0000".repeat(10_000))).not.toThrow();
    expect(() => describeDevice("Mozilla/5.0 (".repeat(2000))).not.toThrow();
  });
});
