import { and, eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { tables } from "@/lib/db";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { completed, testRealm, testServices } from "@/test/db";

const ctx = { ip: "203.0.113.9", userAgent: "vitest" };
const password = "first-password-of-mine";
const fresh = "second-password-of-mine";
const DAY = 86_400_000;

async function setup(settings: Record<string, unknown> = {}) {
  const clock = fixedClock("2026-03-01T12:00:00Z");
  const gh = await testServices({ clock });
  const { realm, app } = await testRealm(gh, settings);
  const user = await gh.users.create(realm, { email: "exp@example.com", password });
  const entry = await gh.flows.entry(realm, { state: "s1", redir: "/after" });
  const login = (pw = password, previous?: string) =>
    gh.flows.loginWithPassword(realm, entry, { email: "exp@example.com", password: pw }, ctx, previous);
  return { gh, clock, realm, app, user, entry, login };
}

async function liveSessions(gh: Services, realm: Realm, userId: string) {
  return gh.db
    .select()
    .from(tables.sessions)
    .where(and(eq(tables.sessions.realmId, realm.id), eq(tables.sessions.userId, userId)));
}

async function eventTypes(gh: Services, realm: Realm) {
  const rows = await gh.db.select().from(tables.events).where(eq(tables.events.realmId, realm.id));
  return rows.map((r) => r.type);
}

describe("the choose-a-new-password step (expired or admin-required)", () => {
  it("with expiry off, an old password never asks for a change", async () => {
    const { clock, login } = await setup();
    clock.advance(5000 * DAY);
    expect((await login()).kind).toBe("done");
  });

  it("an expired password opens a flow instead of a session: no token until a new one is chosen", async () => {
    const { gh, clock, realm, user, login } = await setup({ password_expiry_days: 30 });
    const before = completed(await login());
    clock.advance(30 * DAY);

    const step = await login();
    if (step.kind !== "step") throw new Error("expected a pending step");
    expect(step.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/password`);
    expect(step.redirectUrl).not.toContain("token=");
    expect(step.flowExpiresAt.getTime()).toBe(clock.now().getTime() + 10 * 60_000);
    // Only the session of the first login exists; the step made none.
    expect((await liveSessions(gh, realm, user.id)).map((s) => s.id)).toEqual([before.session.id]);
    expect(await gh.flows.passwordStep(realm, step.flowSecret)).toEqual({
      email: "exp@example.com",
      reason: "expired",
    });
    expect(await gh.flows.passwordStep(realm, "not-the-secret")).toBeNull();

    const done = await gh.flows
      .choosePassword(realm, step.flowSecret, { password: fresh }, ctx)
      .then(completed);
    const url = new URL(done.redirectUrl);
    expect(url.searchParams.get("state")).toBe("s1");
    expect(url.searchParams.get("redir")).toBe("/after");
    expect(decodeJwt(url.searchParams.get("token") ?? "")).toMatchObject({ sub: user.id, amr: ["pwd"] });
    // The password change ended every other session; only the new one is left.
    expect((await liveSessions(gh, realm, user.id)).map((s) => s.id)).toEqual([done.session.id]);
    expect(await eventTypes(gh, realm)).toEqual(
      expect.arrayContaining(["user.password_change_required", "user.password_changed"]),
    );

    // The old password is gone, the new one logs in straight through, and the clock restarted.
    await expect(login()).rejects.toMatchObject({ code: "auth.invalid_credentials" });
    expect((await login(fresh)).kind).toBe("done");
    clock.advance(29 * DAY);
    expect((await login(fresh)).kind).toBe("done");
  });

  it("the flow is single use: a second submission, even concurrent, is refused", async () => {
    const { gh, clock, realm, login } = await setup({ password_expiry_days: 1 });
    clock.advance(DAY);
    const step = await login();
    if (step.kind !== "step") throw new Error("expected a pending step");
    const attempts = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        gh.flows.choosePassword(realm, step.flowSecret, { password: fresh }, ctx),
      ),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    // Losers fail cleanly: the flow is spent, or (with a password history) the password was just used.
    for (const a of attempts.filter((x) => x.status === "rejected"))
      expect(["flow.invalid", "validation.failed"]).toContain((a as PromiseRejectedResult).reason.code);
    await expect(
      gh.flows.choosePassword(realm, step.flowSecret, { password: fresh }, ctx),
    ).rejects.toMatchObject({
      code: "flow.invalid",
    });
  });

  it("a bad new password is refused with field errors and leaves the flow usable", async () => {
    const { gh, clock, realm, login } = await setup({ password_expiry_days: 1, password_min_length: 12 });
    clock.advance(DAY);
    const step = await login();
    if (step.kind !== "step") throw new Error("expected a pending step");
    await expect(
      gh.flows.choosePassword(realm, step.flowSecret, { password: "short" }, ctx),
    ).rejects.toMatchObject({
      code: "validation.failed",
      fields: expect.arrayContaining([
        expect.objectContaining({ field: "password", code: "password.too_short" }),
      ]),
    });
    await expect(gh.flows.choosePassword(realm, step.flowSecret, {}, ctx)).rejects.toMatchObject({
      code: "validation.failed",
    });
    expect((await gh.flows.choosePassword(realm, step.flowSecret, { password: fresh }, ctx)).kind).toBe(
      "done",
    );
  });

  it("the flow expires after 10 minutes", async () => {
    const { gh, clock, realm, login } = await setup({ password_expiry_days: 1 });
    clock.advance(DAY);
    const step = await login();
    if (step.kind !== "step") throw new Error("expected a pending step");
    clock.advance(10 * 60_000);
    expect(await gh.flows.passwordStep(realm, step.flowSecret)).toBeNull();
    await expect(
      gh.flows.choosePassword(realm, step.flowSecret, { password: fresh }, ctx),
    ).rejects.toMatchObject({
      code: "flow.invalid",
    });
  });

  it("a flow of one realm is nothing in another", async () => {
    const { gh, clock, login } = await setup({ password_expiry_days: 1 });
    const other = await testRealm(gh);
    clock.advance(DAY);
    const step = await login();
    if (step.kind !== "step") throw new Error("expected a pending step");
    expect(await gh.flows.passwordStep(other.realm, step.flowSecret)).toBeNull();
  });

  it("an admin's 'must change password' asks at the next login, then clears", async () => {
    const { gh, realm, user, login } = await setup();
    await gh.users.update(realm, user.id, { must_change_password: true });
    expect(await gh.users.passwordStatus(realm.id, user.id)).toMatchObject({ mustChange: true });
    const step = await login();
    if (step.kind !== "step") throw new Error("expected a pending step");
    expect(await gh.flows.passwordStep(realm, step.flowSecret)).toMatchObject({ reason: "required" });
    await gh.flows.choosePassword(realm, step.flowSecret, { password: fresh }, ctx);
    expect(await gh.users.passwordStatus(realm.id, user.id)).toMatchObject({ mustChange: false });
    expect((await login(fresh)).kind).toBe("done");
  });

  it("a password changed elsewhere voids every open step of that user (a leaked password's flow cannot finish)", async () => {
    const { gh, realm, user, login } = await setup();
    await gh.users.update(realm, user.id, { must_change_password: true });
    const attackers = await login();
    if (attackers.kind !== "step") throw new Error("expected a pending step");
    const owners = await login();
    if (owners.kind !== "step") throw new Error("expected a pending step");
    await gh.flows.choosePassword(realm, owners.flowSecret, { password: fresh }, ctx);
    await expect(
      gh.flows.choosePassword(realm, attackers.flowSecret, { password: "attacker-chosen-pass-99" }, ctx),
    ).rejects.toMatchObject({ code: "flow.invalid" });
    expect((await login(fresh)).kind).toBe("done");
  });

  it("seamless SSO gives no token while the password must change; the login form and the step run first", async () => {
    // A session long enough to outlive the expiry, so only the password can be what stops SSO.
    const { gh, clock, realm, user, entry, login } = await setup({
      password_expiry_days: 30,
      session_minutes: 60 * 24 * 60,
    });
    const done = completed(await login());
    expect(await gh.flows.seamless(realm, entry, done.sessionSecret, ctx)).toContain("token=");
    await gh.users.update(realm, user.id, { must_change_password: true });
    expect(await gh.flows.seamless(realm, entry, done.sessionSecret, ctx)).toBeNull();
    await gh.users.update(realm, user.id, { must_change_password: false });
    clock.advance(29 * DAY);
    expect(await gh.flows.seamless(realm, entry, done.sessionSecret, ctx)).toContain("token=");
    clock.advance(DAY);
    expect(await gh.sessions.findLive(realm.id, done.sessionSecret)).not.toBeNull();
    expect(await gh.flows.seamless(realm, entry, done.sessionSecret, ctx)).toBeNull();
  });

  it("a user deactivated while the step is open cannot finish it", async () => {
    const { gh, realm, user, login } = await setup();
    await gh.users.update(realm, user.id, { must_change_password: true });
    const step = await login();
    if (step.kind !== "step") throw new Error("expected a pending step");
    await gh.users.update(realm, user.id, { state: "inactive" });
    await expect(
      gh.flows.choosePassword(realm, step.flowSecret, { password: fresh }, ctx),
    ).rejects.toMatchObject({
      code: "flow.invalid",
    });
  });
});

describe("users.update", () => {
  it("refuses 'must change' for a user without a password, unknown fields and unknown users; changes nothing", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const user = await gh.users.create(realm, { email: "nopw@example.com", first_name: "Nina" });
    await expect(
      gh.users.update(realm, user.id, { must_change_password: true, first_name: "X" }),
    ).rejects.toMatchObject({
      code: "validation.failed",
      fields: [expect.objectContaining({ field: "must_change_password" })],
    });
    expect((await gh.users.get(realm.id, user.id)).firstName).toBe("Nina");
    await expect(gh.users.update(realm, user.id, { password: "x" })).rejects.toMatchObject({
      code: "validation.failed",
    });
    await expect(gh.users.update(realm, "usr_nope", { first_name: "Y" })).rejects.toMatchObject({
      code: "user.not_found",
    });
    const updated = await gh.users.update(realm, user.id, { last_name: "Lee", email_verified: true });
    expect(updated).toMatchObject({ firstName: "Nina", lastName: "Lee", emailVerified: true });
  });
});
