import { alerts, expect, hostedUrl, logInThroughApp, test, waitForForm } from "./fixtures";
import { awayFromStepEdge, setUpTwoFactor, twoFactorRegion } from "./two-factor";

test("two-step verification on the profile: set up with the shown key, recovery codes once, regenerate, turn off with a code", async ({
  page,
  realm,
  demo,
  user,
  mail,
}) => {
  test.slow(); // a few full page renders with bcrypt-free but crypto-heavy steps, plus email delivery
  await logInThroughApp(page, demo, user);
  await page.goto(hostedUrl(realm.slug, "profile"));
  await waitForForm(page);
  const region = twoFactorRegion(page);
  // A password login just happened: changes are open without asking for it again.
  await expect(
    region.getByText(/You can change two-step verification until .* UTC without your password\./),
  ).toBeVisible();

  const { app, codes, spent } = await setUpTwoFactor(page, realm, user);
  await expect(page.getByRole("status").filter({ hasText: "Two-step verification is on." })).toBeVisible();
  await expect(region.getByText(/^Two-step verification is on since .* UTC\.$/)).toBeVisible();
  await expect(region.getByText("Recovery codes left: 10 of 10.")).toBeVisible();
  const download = region.getByRole("link", { name: "Download the codes (text file)" });
  await expect(download).toHaveAttribute("download", "recovery-codes.txt");
  expect(decodeURIComponent((await download.getAttribute("href")) ?? "")).toContain(codes[0]);
  await mail.waitFor({ to: user.email, subject: "Two-step verification is on" });

  // Shown once: a fresh page has the status, not the codes.
  await page.reload();
  await waitForForm(page);
  await expect(region.getByText("Recovery codes left: 10 of 10.")).toBeVisible();
  await expect(region.getByRole("region", { name: "Your recovery codes" })).toHaveCount(0);
  await expect(page.getByText(codes[0] ?? "-")).toHaveCount(0);

  // New codes replace the old ones.
  await region.getByRole("button", { name: "Generate new recovery codes" }).click();
  const fresh = region.getByRole("region", { name: "Your recovery codes" }).getByRole("listitem");
  await expect(fresh).toHaveCount(10);
  const freshCodes = (await fresh.allTextContents()).map((c) => c.trim());
  expect(freshCodes.filter((c) => codes.includes(c))).toEqual([]);

  // Turning off: the code that confirmed the setup is spent (no replay); a current one works.
  const off = region.getByRole("region", { name: "Turn off two-step verification" });
  const codeField = off.getByLabel("Code from your authenticator app");
  await expect(codeField).toHaveAttribute("autocomplete", "one-time-code");
  await codeField.fill(spent);
  await off.getByRole("button", { name: "Turn off two-step verification" }).click();
  await expect(off.getByLabel("Code from your authenticator app")).toHaveAccessibleDescription(
    /^That code is not valid\./,
  );
  await expect(region.getByText("Recovery codes left: 10 of 10.")).toBeVisible();
  await awayFromStepEdge();
  await off.getByLabel("Code from your authenticator app").fill(app.code());
  await off.getByRole("button", { name: "Turn off two-step verification" }).click();
  await expect(
    page
      .getByRole("status")
      .filter({ hasText: "Two-step verification is off. Your recovery codes no longer work." }),
  ).toBeVisible();
  await expect(region.getByRole("button", { name: "Set up two-step verification" })).toBeVisible();
  const notice = await mail.waitFor({ to: user.email, subject: "Two-step verification was turned off" });
  expect(notice.text).toContain("Turned off from");
  expect(await alerts(page).count()).toBe(0);
});

test("an administrator resets a user's two-step verification through the API: the user is logged out and emailed", async ({
  page,
  api,
  realm,
  demo,
  user,
  mail,
}) => {
  test.slow();
  await logInThroughApp(page, demo, user);
  await page.goto(hostedUrl(realm.slug, "profile"));
  await waitForForm(page);
  await setUpTwoFactor(page, realm, user);

  const path = `/api/v1/realms/${realm.slug}/users/${user.id}/mfa`;
  const status = await api.request.fetch(path);
  expect(await status.json()).toMatchObject({ object: "user_mfa", enabled: true, recovery_codes_left: 10 });
  const reset = await api.request.fetch(path, { method: "DELETE" });
  expect(reset.status()).toBe(204);
  expect(await (await api.request.fetch(path)).json()).toMatchObject({ enabled: false, confirmed_at: null });
  const again = await api.request.fetch(path, { method: "DELETE" });
  expect(again.status()).toBe(404);
  expect((await again.json()).error.code).toBe("mfa.not_enabled");

  const email = await mail.waitFor({
    to: user.email,
    subject: "An administrator reset two-step verification",
  });
  expect(email.text).toContain("you were logged out everywhere");
  // This browser's session ended with the reset: the profile asks for a login.
  await page.goto(hostedUrl(realm.slug, "profile"));
  await expect(page.getByLabel("Email")).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(`/${realm.slug}/login`);
});
