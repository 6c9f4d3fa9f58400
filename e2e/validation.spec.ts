import { countPosts, expect, test, waitForForm } from "./fixtures";

test("login: empty fields get errors tied to the fields, without a server round trip", async ({
  page,
  demo,
}) => {
  await page.goto(demo.loginUrl());
  await waitForForm(page);
  const posts = countPosts(page);
  const email = page.getByLabel("Email");
  const password = page.getByLabel("Password");
  await expect(email).not.toHaveAttribute("aria-invalid", "true");

  await page.getByRole("button", { name: "Log in" }).click();

  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription("Enter your email address.");
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await expect(password).toHaveAccessibleDescription("Enter your password.");
  // The first invalid field gets focus, so keyboard and screen-reader users land on the problem.
  await expect(email).toBeFocused();
  await page.waitForTimeout(300);
  expect(posts).toEqual([]);
});

test("login: an invalid email is flagged inline and the error clears once fixed", async ({ page, demo }) => {
  await page.goto(demo.loginUrl());
  await waitForForm(page);
  const posts = countPosts(page);
  const email = page.getByLabel("Email");

  await email.fill("not-an-email");
  await page.getByLabel("Password").fill("whatever-password");
  await page.getByRole("button", { name: "Log in" }).click();

  await expect(email).toHaveAttribute("aria-invalid", "true");
  const describedBy = await email.getAttribute("aria-describedby");
  expect(describedBy).toBeTruthy();
  const errorText = page.locator(`[id="${describedBy}"]`);
  await expect(errorText).toHaveText("Enter an email address like name@example.com.");
  await expect(errorText).toHaveRole("alert");
  await page.waitForTimeout(300);
  expect(posts).toEqual([]);

  await email.fill("someone@example.com");
  await expect(email).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Enter an email address like name@example.com.")).toHaveCount(0);
});

test("signup: a too-short password is flagged inline next to its hint, without a server round trip", async ({
  page,
  demo,
}) => {
  await page.goto(demo.signupUrl());
  await waitForForm(page);
  const posts = countPosts(page);
  const password = page.getByLabel("Password");

  await page.getByLabel("Email").fill("new-person@example.com");
  await password.fill("short");
  await page.getByRole("button", { name: "Sign up" }).click();

  await expect(password).toHaveAttribute("aria-invalid", "true");
  // The errors first (every rule it breaks: "short" is also a common password), then the standing rules.
  await expect(password).toHaveAccessibleDescription(
    "Use at least 8 characters. This password is too common. Choose one that is unique to you. " +
      "At least 8 characters. Not a common password. Not containing your email address or username. " +
      "Hard to guess: a few unrelated words work well.",
  );
  await expect(page.getByLabel("Email")).not.toHaveAttribute("aria-invalid", "true");
  await page.waitForTimeout(300);
  expect(posts).toEqual([]);
});
