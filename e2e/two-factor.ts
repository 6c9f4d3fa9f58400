/**
 * Two-step verification as a person does it, at login and on the profile: an authenticator app made
 * from the key the page shows (otpauth: SHA-1, 6 digits, 30 s, like the apps), helpers shared by the
 * 2FA specs.
 */
import type { Locator, Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import { expect, type RealmInfo, submitLogin, type UserInfo, waitForForm } from "./fixtures";

const PERIOD_MS = 30_000;

/** The time step of now (each step's code is accepted once, ±1 step around the server's now). */
export const currentStep = () => Math.floor(Date.now() / PERIOD_MS);

/** The code of an app holding `key` (base32, spaces allowed) at time step `step`. */
export function codeAt(key: string, step: number): string {
  const totp = new TOTP({ secret: Secret.fromBase32(key.replace(/\s+/g, "")), digits: 6, period: 30 });
  return totp.generate({ timestamp: step * PERIOD_MS });
}

/** The authenticator app of these tests: the key as the page shows it, codes like any app makes them. */
export function authenticator(shownKey: string) {
  return {
    /** The code of the current 30-second step, or of the one before (an app a little behind). */
    code: (stepsBack = 0) => codeAt(shownKey, currentStep() - stepsBack),
  };
}

/** Waits, if needed, until at least `seconds` are left in the current step, so a code stays valid. */
export async function awayFromStepEdge(seconds = 5) {
  const left = 30 - ((Date.now() / 1000) % 30);
  if (left < seconds) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 200));
}

export function twoFactorRegion(page: Page): Locator {
  return page.getByRole("region", { name: "Two-step verification", exact: true });
}

/**
 * On the profile: "Set up", read the key shown next to the QR code, confirm with a code the app
 * makes from it. The code is the previous step's (accepted: ±1 step), so the current step stays
 * unspent for a later form. Returns the app and the recovery codes shown.
 */
export async function setUpTwoFactor(page: Page, realm: RealmInfo, user: UserInfo) {
  const region = twoFactorRegion(page);
  await expect(region.getByText("Two-step verification is off.", { exact: false })).toBeVisible();
  await region.getByRole("button", { name: "Set up two-step verification" }).click();
  const qr = region.getByRole("img", {
    name: `QR code that adds ${user.email} at ${realm.name} to an authenticator app`,
  });
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml;base64,/);
  const key = (await region.getByTestId("totp-key").textContent()) ?? "";
  expect(key).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
  const uri = await region
    .getByRole("link", { name: "Open in an authenticator app on this device" })
    .getAttribute("href");
  expect(uri).toContain(`secret=${key.replace(/\s+/g, "")}`);
  const app = authenticator(key);

  const field = region.getByLabel("6-digit code from the app");
  await expect(field).toHaveAttribute("autocomplete", "one-time-code");
  await expect(field).toHaveAttribute("inputmode", "numeric");
  await field.fill("000000");
  await region.getByRole("button", { name: "Confirm and turn on" }).click();
  await expect(region.getByLabel("6-digit code from the app")).toHaveAccessibleDescription(
    "That code is not valid. Enter the 6-digit code your app shows now.",
  );
  // Nothing changed: the same key is still on screen.
  await expect(region.getByTestId("totp-key")).toHaveText(key);

  await awayFromStepEdge();
  await region.getByLabel("6-digit code from the app").fill(app.code(1));
  await region.getByRole("button", { name: "Confirm and turn on" }).click();
  const codesRegion = region.getByRole("region", { name: "Your recovery codes" });
  await expect(codesRegion.getByRole("listitem")).toHaveCount(10);
  const codes = (await codesRegion.getByRole("listitem").allTextContents()).map((c) => c.trim());
  for (const code of codes) expect(code).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
  return { app, codes, spent: app.code(1) };
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
