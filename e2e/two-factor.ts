/**
 * Helpers for specs that log in with a second factor: codes are computed from the key the page
 * shows, like an authenticator app would (otpauth: SHA-1, 6 digits, 30 s).
 */
import type { Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { expect, submitLogin, waitForForm } from "./fixtures";

const PERIOD_MS = 30_000;

/** The time step of now (each step's code is accepted once, ±1 step around the server's now). */
export const currentStep = () => Math.floor(Date.now() / PERIOD_MS);

/** The code of an app holding `key` (base32, spaces allowed) at time step `step`. */
export function codeAt(key: string, step: number): string {
  const totp = new TOTP({ secret: Secret.fromBase32(key.replace(/\s+/g, "")), digits: 6, period: 30 });
  return totp.generate({ timestamp: step * PERIOD_MS });
}

/** The manual key as the enrolment page shows it. */
export async function readTotpKey(page: Page): Promise<string> {
  const text = (await page.getByTestId("totp-key").textContent()) ?? "";
  return text.replace(/\s+/g, "");
}

/** The recovery codes as the page lists them (shown once). */
export async function readRecoveryCodes(page: Page): Promise<string[]> {
  const list = page.locator("[data-slot=recovery-code-list] code");
  await expect(list).toHaveCount(10);
  return list.allTextContents();
}

/**
 * From the login page of a realm that requires 2FA to the recovery codes: password, then the key
 * read off the page and a code of it. Returns the key, the step whose code was used, the codes.
 */
export async function enrolDuringLogin(page: Page, slug: string, user: { email: string; password: string }) {
  await submitLogin(page, user.email, user.password);
  await page.waitForURL(`**/${slug}/login/enrol-2fa`);
  await waitForForm(page);
  const key = await readTotpKey(page);
  const step = currentStep();
  await page.getByLabel("6-digit code from the app").fill(codeAt(key, step));
  await page.getByRole("button", { name: "Turn on two-step verification" }).click();
  await expect(page.getByRole("heading", { name: "Your recovery codes" })).toBeVisible();
  return { key, step, codes: await readRecoveryCodes(page) };
}
