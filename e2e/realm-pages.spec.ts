import { expect, hostedUrl, test } from "./fixtures";

test("an unknown realm is a 404 page, for every hosted page", async ({ page, request }) => {
  for (const path of ["no-such-realm/login", "no-such-realm/signup"]) {
    const response = await page.goto(`/${path}?redirect_uri=https%3A%2F%2Fapp.example.com%2F`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveCount(0);
  }
  expect((await request.get("/no-such-realm/connect/jwks")).status()).toBe(404);
});

test("a realm is addressed by its exact slug: another casing is a 404", async ({ page, realm, demo }) => {
  const url = demo.loginUrl().replace(`/${realm.slug}/`, `/${realm.slug.toUpperCase()}/`);
  const response = await page.goto(url);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("the login page names the realm and the app, and links to signup for the same app", async ({
  page,
  realm,
  demo,
}) => {
  const response = await page.goto(demo.loginUrl({ state: "keep-me" }));
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle(`Log in · ${realm.name}`);
  await expect(page.getByText(realm.name, { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: `Log in to ${demo.app.name}` })).toBeVisible();

  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: `Create your ${demo.app.name} account` }),
  ).toBeVisible();
  await expect(page.getByText(realm.name, { exact: true })).toBeVisible();
  await expect(page).toHaveTitle(`Sign up · ${realm.name}`);
  const signup = new URL(page.url());
  expect(signup.pathname).toBe(`/${realm.slug}/signup`);
  expect(signup.searchParams.get("client_id")).toBe(demo.app.id);
  expect(signup.searchParams.get("redirect_uri")).toBe(demo.callback);
  expect(signup.searchParams.get("state")).toBe("keep-me");

  await page.getByRole("link", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Log in to ${demo.app.name}` })).toBeVisible();
});

test("a realm with several apps needs client_id, and names the right app for each", async ({
  page,
  realm,
  startDemo,
}) => {
  const one = await startDemo({ name: "Billing" });
  const two = await startDemo({ name: "Reports" });
  await page.goto(two.loginUrl());
  await expect(page.getByRole("heading", { level: 1, name: "Log in to Reports" })).toBeVisible();
  await page.goto(one.loginUrl());
  await expect(page.getByRole("heading", { level: 1, name: "Log in to Billing" })).toBeVisible();

  await page.goto(hostedUrl(realm.slug, "login", { redirect_uri: one.callback }));
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(
    "This realm has several applications: the link must name one with client_id.",
  );
});
