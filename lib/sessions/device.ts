import Bowser from "bowser";
import type { Translate } from "@/lib/i18n";

/** What a session's user agent says about the device: browser and operating system names. */
export interface Device {
  browser: string | null;
  os: string | null;
}

/** Parses a stored user agent (bowser); anything it cannot name stays null. Never throws. */
export function describeDevice(userAgent: string | null | undefined): Device {
  if (!userAgent) return { browser: null, os: null };
  try {
    const parsed = Bowser.parse(userAgent.slice(0, 512));
    return { browser: parsed.browser.name || null, os: parsed.os.name || null };
  } catch {
    return { browser: null, os: null };
  }
}

/** "Firefox on Linux", in the page's language. */
export function deviceLabel(device: Device, t: Translate): string {
  if (device.browser && device.os)
    return t("device.browser_on_os", { browser: device.browser, os: device.os });
  if (device.browser) return device.browser;
  if (device.os) return t("device.browser_on_os", { browser: t("device.unknown_browser"), os: device.os });
  return t("device.unknown");
}
