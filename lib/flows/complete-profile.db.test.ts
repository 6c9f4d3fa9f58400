import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { testRealm, testServices } from "@/test/db";
import { eventsOf, finished, pendingStep } from "@/test/mfa";
import { missingProfileFields } from "./complete-profile-step";

const ctx = { ip: "203.0.113.62", userAgent: "vitest" };
const password = "complete-me-password-42";

async function setup(
  settings: Record<string, unknown> = {},
  names: { first_name?: string; last_name?: string } = {},
) {
  const clock = fixedClock("2026-11-29T12:00:10Z");
  const gh = await testServices({ clock });
  // The user exists first (API, import, social login without names); then the realm requires names.
  const { realm: before } = await testRealm(gh, settings);
  const email = `cp-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const user = await gh.users.create(before, { email, password, ...names });
  const realm = await gh.realms.update(before.id, { settings: { signup_names: "required" } });
  const entry = await gh.flows.entry(realm, { state: "st-cp" });
  const login = () => gh.flows.loginWithPassword(realm, entry, { email, password }, ctx);
  return { gh, clock, realm, user, email, entry, login };
}

describe("the login's complete-profile step (/login/complete-profile)", () => {
  it("knows which required fields a user lacks", async () => {
    const { realm, user } = await setup();
    expect(missingProfileFields(realm, user)).toEqual(["first_name", "last_name"]);
    expect(missingProfileFields(realm, { ...user, firstName: "Ada", lastName: "  " })).toEqual(["last_name"]);
    expect(missingProfileFields(realm, { ...user, firstName: "Ada", lastName: "Lovelace" })).toEqual([]);
    const optional = { ...realm, settings: { ...realm.settings, signup_names: "optional" as const } };
    expect(missingProfileFields(optional, user)).toEqual([]);
  });

  it("asks for the missing names, validates them like signup, then finishes with them in the token", async () => {
    const { gh, realm, user, email, login } = await setup();
    const step = pendingStep(await login());
    expect(step.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/complete-profile`);
    expect(await gh.flows.completeProfileStep(realm, step.flowSecret)).toEqual({
      email,
      fields: ["first_name", "last_name"],
      values: { first_name: "", last_name: "" },
    });
    expect(await gh.flows.completeProfileStep(realm, "not-the-secret")).toBeNull();

    // Blank (after trimming) and too long: refused field by field, nothing saved, the step stays.
    await expect(
      gh.flows.completeProfile(
        realm,
        step.flowSecret,
        { first_name: "   ", last_name: "x".repeat(101) },
        ctx,
      ),
    ).rejects.toMatchObject({
      code: "validation.failed",
      fields: [
        { field: "first_name", code: "field.required" },
        { field: "last_name", code: "field.too_long" },
      ],
    });
    expect((await gh.users.get(realm.id, user.id)).firstName).toBeNull();

    const done = finished(
      await gh.flows.completeProfile(
        realm,
        step.flowSecret,
        { first_name: " Ada ", last_name: "Lovelace" },
        ctx,
      ),
    );
    const url = new URL(done.redirectUrl);
    expect(url.searchParams.get("state")).toBe("st-cp");
    expect(decodeJwt(url.searchParams.get("token") ?? "")).toMatchObject({
      sub: user.id,
      given_name: "Ada",
      family_name: "Lovelace",
    });
    expect(await gh.users.get(realm.id, user.id)).toMatchObject({ firstName: "Ada", lastName: "Lovelace" });
    expect(await eventsOf(gh, realm, "user.updated")).toEqual([
      {
        userId: user.id,
        data: { via: "login", step: "complete_profile", fields: ["first_name", "last_name"] },
      },
    ]);
    // The step is spent with the flow; the next login owes nothing.
    await expect(
      gh.flows.completeProfile(realm, step.flowSecret, { first_name: "Eve", last_name: "X" }, ctx),
    ).rejects.toMatchObject({ code: "flow.invalid" });
    finished(await login());
  });

  it("asks only for the field that is missing", async () => {
    const { gh, realm, login } = await setup({}, { first_name: "Grace" });
    const step = pendingStep(await login());
    expect(await gh.flows.completeProfileStep(realm, step.flowSecret)).toMatchObject({
      fields: ["last_name"],
      values: { first_name: "Grace", last_name: "" },
    });
    // A field that is not asked for is not taken either.
    const done = finished(
      await gh.flows.completeProfile(
        realm,
        step.flowSecret,
        { first_name: "Mallory", last_name: "Hopper" },
        ctx,
      ),
    );
    expect(decodeJwt(new URL(done.redirectUrl).searchParams.get("token") ?? "")).toMatchObject({
      given_name: "Grace",
      family_name: "Hopper",
    });
  });

  it("runs before enrolling a second factor the realm requires", async () => {
    const { gh, realm, login } = await setup({ mfa_policy: "required" });
    const step = pendingStep(await login());
    expect(step.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/complete-profile`);
    const next = pendingStep(
      await gh.flows.completeProfile(realm, step.flowSecret, { first_name: "Ada", last_name: "L" }, ctx),
    );
    expect(next.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/enrol-2fa`);
  });

  it("stops seamless SSO while the profile lacks a required field", async () => {
    const { gh, realm, user, entry } = await setup();
    // A session from before the realm required names.
    const { secret } = await gh.sessions.create({
      realmId: realm.id,
      userId: user.id,
      amr: ["pwd"],
      minutes: 60,
      context: ctx,
      limit: { max: 10, policy: "evict_oldest" },
    });
    expect(await gh.flows.seamless(realm, entry, secret, ctx)).toBeNull();
    await gh.users.update(realm, user.id, { first_name: "Ada", last_name: "Lovelace" });
    expect(await gh.flows.seamless(realm, entry, secret, ctx)).toContain("token=");
  });
});
