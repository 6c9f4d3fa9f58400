import { expect, logInThroughApp, PORTAL_URL, test } from "./fixtures";

test("with login_notice_new_device on, a login from a new browser emails the user, once per browser", async ({
  browser,
  api,
  realm,
  demo,
  user,
  mail,
}) => {
  await api.updateRealmSettings(realm.slug, { login_notice_new_device: true });
  const subject = `New login to your ${realm.name} account`;

  /** Logs in from a browser (context), showing the form even over a live session. */
  const logInFrom = async (context: Awaited<ReturnType<typeof browser.newContext>>) => {
    const page = await context.newPage();
    await logInThroughApp(page, demo, user, { prompt: "login" });
    await page.close();
  };

  // The user's first browser is their baseline: nothing to compare with, no email.
  const laptop = await browser.newContext();
  await logInFrom(laptop);
  const device = (await laptop.cookies(PORTAL_URL)).find((c) => c.name === `gh_device_${realm.id}`);
  expect(device).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
  expect(device?.expires ?? 0).toBeGreaterThan(Date.now() / 1000 + 399 * 86_400);

  // A fresh browser: the email arrives.
  const phone = await browser.newContext();
  await logInFrom(phone);
  const notice = await mail.waitFor({ to: user.email, subject });
  expect(notice.text).toContain(`Hello ${user.first_name} ${user.last_name}`);
  expect(notice.text).toContain("from 127.0.0.1");

  // The same browser again, and the first one: known, no email. A third browser's email then
  // proves the worker got this far (emails go out in the order they were queued).
  await logInFrom(phone);
  await logInFrom(laptop);
  const tablet = await browser.newContext();
  await logInFrom(tablet);
  const third = await mail.waitFor({ to: user.email, subject, after: notice.id });
  expect(third.id).toBeGreaterThan(notice.id);
  expect(await mail.list({ to: user.email, subject })).toHaveLength(2);

  await Promise.all([laptop.close(), phone.close(), tablet.close()]);
});
