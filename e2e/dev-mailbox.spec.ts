import { type ExtraPortal, startExtraPortal } from "./dev-portal";
import { expect, expectNoSeriousViolations, submitLogin, test, unique } from "./fixtures";

test("on a production server without GATEHOUSE_DEV_MAILBOX the development mailbox is a plain 404", async ({
  page,
}) => {
  for (const path of ["/dev/mailbox", "/dev/mailbox/rl_00000000000000000000000000/em_0000000000000000"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expect(page).not.toHaveTitle(/mailbox/i);
    await expect(page.getByText(/development only/i)).toHaveCount(0);
  }
});

test.describe("with GATEHOUSE_DEV_MAILBOX=1 and no SMTP server (what npm start does on a laptop)", () => {
  // One extra portal for these tests: in one worker, in order.
  test.describe.configure({ mode: "serial" });
  let portal: ExtraPortal;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    portal = await startExtraPortal({ GATEHOUSE_DEV_MAILBOX: "1" });
  });
  test.afterAll(async () => {
    await portal?.stop();
  });

  test("lists the queued email and shows it: text with live links, HTML framed without scripts", async ({
    browser,
  }) => {
    test.slow();
    const slug = unique("mbx-");
    await portal.api("POST", "/api/v1/realms", {
      slug,
      name: `Realm ${slug}`,
      settings: { bcrypt_cost: 4, login_notice_new_device: true },
    });
    const email = `${unique("mbx-")}@example.com`;
    const password = "a perfectly fine password";
    await portal.api("POST", `/api/v1/realms/${slug}/users`, { email, password, first_name: "Ada" });

    // Two browsers: the first login is the baseline, the second one is a new device → an email.
    for (let i = 0; i < 2; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${portal.url}/${slug}/login?return_to=profile`);
      await submitLogin(page, email, password);
      await page.waitForURL(`**/${slug}/profile*`);
      await context.close();
    }

    const context = await browser.newContext();
    const page = await context.newPage();
    const subject = `New login to your Realm ${slug} account`;
    // The worker delivers to the development transport right after the login; reload until it has.
    await expect(async () => {
      await page.goto(`${portal.url}/dev/mailbox`);
      const row = page.getByRole("row").filter({ hasText: email });
      await expect(row).toContainText("Sent");
    }).toPass({ timeout: 15_000 });
    await expect(page.getByRole("note")).toContainText("Development only");
    const row = page.getByRole("row").filter({ hasText: email });
    await expect(row.getByRole("cell", { name: slug, exact: true })).toBeVisible();
    await expect(row.getByRole("cell", { name: "1", exact: true })).toBeVisible();
    await expectNoSeriousViolations(page);

    await row.getByRole("link", { name: subject }).click();
    await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
    await expect(page.getByRole("link", { name: `${portal.url}/${slug}/forgot` })).toBeVisible();

    // The HTML renders in its frame under the page's CSP, inline styles included.
    const frame = page.frameLocator("iframe");
    await expect(frame.getByText("Hello Ada,")).toBeVisible();
    // The email's own (inline) styles apply in the frame: its page colour, not the default transparent.
    await expect(frame.locator("body")).not.toHaveCSS("background-color", "rgba(0, 0, 0, 0)");
    await expectNoSeriousViolations(page, { exclude: ["iframe"] });

    // Nothing in an email can run: a frame like this one (same sandbox, same page) with a script
    // in it parses past the script without running it (an inline script runs before what follows).
    await page.evaluate(() => {
      const real = document.querySelector("iframe");
      if (!real) throw new Error("no frame");
      const probe = real.cloneNode() as HTMLIFrameElement;
      probe.id = "probe";
      probe.srcdoc = `<body><script>document.body.dataset.ran = "yes"</script><p id="after">after the script</p></body>`;
      real.after(probe);
    });
    const probe = page.frameLocator("#probe");
    await expect(probe.locator("#after")).toBeVisible();
    await expect(probe.locator("body")).not.toHaveAttribute("data-ran");
    await context.close();
  });

  test("works without JavaScript", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${portal.url}/dev/mailbox`);
    await expect(page.getByRole("heading", { level: 1, name: "Development mailbox" })).toBeVisible();
    await expect(page.getByRole("note")).toContainText("Development only");
    await context.close();
  });
});
