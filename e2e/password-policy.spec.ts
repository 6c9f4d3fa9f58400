import type { Page } from "@playwright/test";
import {
  type Api,
  countPosts,
  expect,
  expectSignedInAtApp,
  type RealmInfo,
  submitSignup,
  test,
  unique,
} from "./fixtures";

const TOO_SHORT = "Use at least 12 characters.";
const TOO_COMMON = "This password is too common. Choose one that is unique to you.";
const MISSING_DIGIT = "Include a digit.";

/** The realm of these tests asks for 12 characters and a digit (plus the defaults: blocklist, strength 2). */
async function strictRealm(api: Api, realm: RealmInfo) {
  await api.updateRealmSettings(realm.slug, {
    password_min_length: 12,
    password_required_classes: ["digit"],
  });
}

/** The password field's errors: the element its aria-describedby names first. */
function passwordErrors(page: Page) {
  return page.locator('[data-field="password"] [data-slot="field-error"]');
}

test("signup with a weak password shows every broken rule at once, inline, and stays put", async ({
  page,
  api,
  realm,
  demo,
}) => {
  await strictRealm(api, realm);
  await page.goto(demo.signupUrl());
  const posts = countPosts(page);
  await submitSignup(page, { email: `${unique("weak-")}@example.com`, password: "iloveyou" });

  const password = page.getByLabel("Password");
  await expect(password).toHaveAttribute("aria-invalid", "true");
  const errors = passwordErrors(page);
  await expect(errors).toHaveRole("alert");
  await expect(errors.getByRole("listitem")).toHaveText([TOO_SHORT, MISSING_DIGIT, TOO_COMMON]);
  // The messages describe the field, before the standing list of rules.
  const description = await password.evaluate((el) => el.getAttribute("aria-describedby"));
  expect(description).toBe("password-error password-hint");
  await expect(password).toHaveAccessibleDescription(
    new RegExp(`^${TOO_SHORT.replace(".", "\\.")}.*${MISSING_DIGIT}.*too common`),
  );
  expect(posts).toEqual([]);
  expect(new URL(page.url()).pathname).toBe(`/${realm.slug}/signup`);
  expect(await api.listUsers(realm.slug)).toEqual([]);

  // Fixing one rule leaves the others standing.
  await password.fill("iloveyou-and-more");
  await expect(errors).toHaveText(MISSING_DIGIT);
  await expect(errors.getByRole("listitem")).toHaveCount(0);
});

test("the rules list and the live strength meter: words that change as you type, zxcvbn loaded late", async ({
  page,
  api,
  realm,
  demo,
}) => {
  await strictRealm(api, realm);
  const scripts: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "script") scripts.push(r.url());
  });
  await page.goto(demo.signupUrl());
  await expect(page.locator('[data-slot="password-rules"] li')).toHaveText([
    "At least 12 characters.",
    "At least one digit.",
    "Not a common password.",
    "Not containing your email address or username.",
    "Hard to guess: a few unrelated words work well.",
  ]);
  await page.waitForLoadState("networkidle");
  const atFirstPaint = scripts.length;

  const meter = page.getByRole("meter");
  await expect(meter).toHaveCount(0); // nothing typed, nothing judged
  const password = page.getByLabel("Password");
  await password.pressSequentially("abc");
  await expect(page.getByText("Strength: very weak (not strong enough yet)")).toBeVisible();
  await expect(meter).toBeVisible();
  await expect(meter).toHaveAttribute("value", "0");
  // zxcvbn and its dictionaries came as a chunk of their own, after the page was up.
  expect(scripts.length).toBeGreaterThan(atFirstPaint);

  await password.pressSequentially("-lantern-orbit-kettle-42");
  await expect(page.getByText("Strength: strong", { exact: true })).toBeVisible();
  await expect(meter).toHaveAttribute("value", "4");
  await expect(meter).toHaveAccessibleName("Strength: strong");
  // The words live in a polite live region, not only in colour.
  await expect(page.locator('[data-slot="strength-label"]')).toHaveAttribute("aria-live", "polite");
});

test("a good password goes through to the app", async ({ page, api, realm, demo }) => {
  await strictRealm(api, realm);
  const email = `${unique("good-")}@example.com`;
  await page.goto(demo.signupUrl());
  await submitSignup(page, { email, password: "lantern-orbit-kettle-42" });
  const landed = await expectSignedInAtApp(page, demo, email);
  expect(landed.searchParams.get("signup")).toBe("true");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the server refuses a weak password with every message at once, beside the rules", async ({
    page,
    api,
    realm,
    demo,
  }) => {
    await strictRealm(api, realm);
    const email = `${unique("nojs-weak-")}@example.com`;
    await page.goto(demo.signupUrl());
    await expect(page.locator('[data-slot="password-rules"] li').first()).toHaveText(
      "At least 12 characters.",
    );
    await submitSignup(page, { email, password: "iloveyou" });

    await expect(passwordErrors(page).getByRole("listitem")).toHaveText([
      TOO_SHORT,
      MISSING_DIGIT,
      TOO_COMMON,
    ]);
    await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Email")).toHaveValue(email);
    expect(await api.listUsers(realm.slug)).toEqual([]);

    await submitSignup(page, { email, password: "lantern-orbit-kettle-42" });
    await expectSignedInAtApp(page, demo, email);
  });
});
