import { and, eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { tables } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { testRealm, testServices } from "@/test/db";
import { enrolTotp, eventsOf, finished, pendingStep, sessionsOf } from "@/test/mfa";
import type { SecondFactorMethod } from "./second-factor-step";

const ctx = { ip: "203.0.113.20", userAgent: "vitest" };
const password = "correct-horse-battery-staple";
const MINUTE = 60_000;

async function setup(settings: Record<string, unknown> = {}) {
  const clock = fixedClock("2026-11-29T12:00:10Z");
  const gh = await testServices({ clock });
  const { realm } = await testRealm(gh, settings);
  const email = `mfa-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const user = await gh.users.create(realm, { email, password });
  const totp = await enrolTotp(gh, clock, realm, user);
  const entry = await gh.flows.entry(realm, { state: "st-2fa", redir: "/after" });
  /** The password part of a login: it must stop at the second-factor step. */
  const login = async () =>
    pendingStep(await gh.flows.loginWithPassword(realm, entry, { email, password }, ctx));
  const verify = (flowSecret: string, value: string, method: SecondFactorMethod = "totp") =>
    gh.flows.verifySecondFactor(
      realm,
      flowSecret,
      method,
      method === "totp" ? { code: value } : { recovery_code: value },
      ctx,
    );
  return { gh, clock, realm, user, email, entry, totp, login, verify };
}

const codeOf = (error: unknown) => (isAppError(error) ? error.code : error);

/** The refusal every failure of a code gets (wrong, replayed, locked). */
const refused = { code: "validation.failed", fields: [{ field: "code", code: "mfa.code_invalid" }] };

async function lastUsedStep(gh: Services, realm: Realm, userId: string) {
  const [row] = await gh.db
    .select({ step: tables.totpCredentials.lastUsedStep })
    .from(tables.totpCredentials)
    .where(and(eq(tables.totpCredentials.realmId, realm.id), eq(tables.totpCredentials.userId, userId)));
  return row?.step;
}

describe("the second-factor step of a login (/login/verify)", () => {
  it("stops a password login of a user with an app: no session, no token until the code, then amr pwd+otp", async () => {
    const { gh, realm, user, email, login, verify, totp } = await setup();
    const step = await login();
    expect(step.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/verify`);
    expect(step.redirectUrl).not.toContain("token=");
    expect(await sessionsOf(gh, realm, user.id)).toHaveLength(0);
    expect(await gh.flows.secondFactorStep(realm, step.flowSecret)).toEqual({ email });
    expect(await gh.flows.secondFactorStep(realm, "not-the-secret")).toBeNull();

    const done = finished(await verify(step.flowSecret, totp.code()));
    const url = new URL(done.redirectUrl);
    expect(url.searchParams.get("state")).toBe("st-2fa");
    expect(url.searchParams.get("redir")).toBe("/after");
    expect(decodeJwt(url.searchParams.get("token") ?? "")).toMatchObject({
      sub: user.id,
      amr: ["pwd", "otp"],
    });
    expect(done.session.amr).toEqual(["pwd", "otp"]);
    expect(await eventsOf(gh, realm, "user.login")).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ amr: ["pwd", "otp"] }) }),
    ]);
    // The step is spent with the flow.
    expect(await gh.flows.secondFactorStep(realm, step.flowSecret)).toBeNull();
    await expect(verify(step.flowSecret, totp.code(30_000))).rejects.toMatchObject({ code: "flow.invalid" });
  });

  it("accepts the codes of the previous and the next time step, not two steps away", async () => {
    const { clock, login, verify, totp } = await setup();
    // Clear of the step that confirmed the app (spent).
    clock.advance(60_000);
    await expect(verify((await login()).flowSecret, totp.code(-2 * 30_000))).rejects.toMatchObject(refused);
    expect((await verify((await login()).flowSecret, totp.code(-30_000))).kind).toBe("done");
    expect((await verify((await login()).flowSecret, totp.code(30_000))).kind).toBe("done");
    // The next step was just spent; two steps ahead is outside the window.
    await expect(verify((await login()).flowSecret, totp.code(2 * 30_000))).rejects.toMatchObject(refused);
  });

  it("refuses a replayed code, in another login too, with the same answer as a wrong one", async () => {
    const { gh, realm, login, verify, totp } = await setup();
    const code = totp.code();
    expect((await verify((await login()).flowSecret, code)).kind).toBe("done");
    const again = await login();
    await expect(verify(again.flowSecret, code)).rejects.toMatchObject(refused);
    await expect(verify(again.flowSecret, code === "000000" ? "111111" : "000000")).rejects.toMatchObject(
      refused,
    );
    expect((await eventsOf(gh, realm, "user.mfa_failed")).map((e) => e.data.reason).sort()).toEqual([
      "replayed",
      "wrong_code",
    ]);
  });

  it("lets exactly one of ten concurrent posts of one code through", async () => {
    const { gh, realm, user, login, verify, totp } = await setup();
    const step = await login();
    const code = totp.code();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => verify(step.flowSecret, code)));
    const done = results.filter((r) => r.status === "fulfilled" && r.value.kind === "done");
    expect(done).toHaveLength(1);
    for (const r of results) {
      if (r.status === "rejected") expect(codeOf(r.reason)).toBe("validation.failed");
      else expect(["done", "voided"]).toContain(r.value.kind);
    }
    expect(await sessionsOf(gh, realm, user.id)).toHaveLength(1);
  });

  it("voids the flow at the fifth wrong code and sends the user back to the login page", async () => {
    const { gh, realm, entry, login, verify, totp } = await setup();
    const step = await login();
    for (let i = 0; i < 4; i++)
      await expect(verify(step.flowSecret, "000000")).rejects.toMatchObject(refused);
    const voided = await verify(step.flowSecret, "000000");
    expect(voided.kind).toBe("voided");
    const back = new URL(voided.kind === "voided" ? voided.redirectUrl : "");
    expect(`${back.origin}${back.pathname}`).toBe(`${gh.realmUrl(realm)}/login`);
    expect(back.searchParams.get("notice")).toBe("mfa_failed");
    expect(back.searchParams.get("client_id")).toBe(entry.app?.id);
    expect(back.searchParams.get("state")).toBe("st-2fa");
    // The flow is gone: even the right code does nothing with it now.
    expect(await gh.flows.secondFactorStep(realm, step.flowSecret)).toBeNull();
    await expect(verify(step.flowSecret, totp.code())).rejects.toMatchObject({ code: "flow.invalid" });
    const failed = await eventsOf(gh, realm, "user.mfa_failed");
    expect(failed).toHaveLength(5);
    expect(failed.filter((e) => e.data.flow_voided === true)).toHaveLength(1);
    // A new login starts afresh.
    expect((await verify((await login()).flowSecret, totp.code())).kind).toBe("done");
  });

  it("counts wrong recovery codes and app codes together towards voiding the flow", async () => {
    const { login, verify } = await setup();
    const step = await login();
    for (let i = 0; i < 2; i++) await expect(verify(step.flowSecret, "123456")).rejects.toThrow();
    for (let i = 0; i < 2; i++)
      await expect(verify(step.flowSecret, "aaaa-bbbb-cccc-dddd", "recovery_code")).rejects.toMatchObject({
        fields: [{ field: "recovery_code", code: "mfa.recovery_code_invalid" }],
      });
    expect((await verify(step.flowSecret, "aaaa-bbbb-cccc-dddd", "recovery_code")).kind).toBe("voided");
  });

  it("does not count an empty code as a try", async () => {
    const { login, verify, totp } = await setup();
    const step = await login();
    for (let i = 0; i < 6; i++)
      await expect(verify(step.flowSecret, "  ")).rejects.toMatchObject({
        fields: [{ field: "code", code: "field.required" }],
      });
    expect((await verify(step.flowSecret, totp.code())).kind).toBe("done");
  });

  it("locks second-factor attempts for 15 minutes after 10 consecutive failures, invisibly", async () => {
    const { gh, clock, realm, user, login, verify, totp } = await setup();
    // Two flows of five wrong codes each: the tenth failure starts the lock.
    for (let flow = 0; flow < 2; flow++) {
      const step = await login();
      for (let i = 0; i < 4; i++)
        await expect(verify(step.flowSecret, "000000")).rejects.toMatchObject(refused);
      expect((await verify(step.flowSecret, "000000")).kind).toBe("voided");
    }
    const locked = await eventsOf(gh, realm, "user.mfa_locked");
    expect(locked).toEqual([
      {
        userId: user.id,
        data: { until: new Date(clock.now().getTime() + 15 * MINUTE).toISOString(), failures: 10 },
      },
    ]);

    // Locked: the right code is refused exactly like a wrong one, and is not even looked at (its
    // time step stays unspent).
    clock.advance(14 * MINUTE);
    const step = await login();
    const before = await lastUsedStep(gh, realm, user.id);
    const right = totp.code();
    await expect(verify(step.flowSecret, right)).rejects.toMatchObject(refused);
    await expect(verify(step.flowSecret, totp.recoveryCodes[0] ?? "", "recovery_code")).rejects.toMatchObject(
      {
        fields: [{ field: "recovery_code", code: "mfa.recovery_code_invalid" }],
      },
    );
    expect(await lastUsedStep(gh, realm, user.id)).toBe(before);
    expect((await gh.mfa.status(realm.id, user.id)).recoveryCodesLeft).toBe(10);
    expect(
      (await eventsOf(gh, realm, "user.mfa_failed")).filter((e) => e.data.reason === "locked"),
    ).toHaveLength(2);
    // Refusals do not extend the lock.
    expect(await eventsOf(gh, realm, "user.mfa_locked")).toHaveLength(1);

    // Fifteen minutes after the tenth failure the lock is over: the same flow takes the code.
    clock.advance(MINUTE);
    expect((await verify(step.flowSecret, totp.code())).kind).toBe("done");
  });

  it("a right code ends the failure streak", async () => {
    const { gh, realm, login, verify, totp } = await setup();
    for (let round = 0; round < 2; round++) {
      // Nine failures (a voided flow and four more), then the right code.
      const first = await login();
      for (let i = 0; i < 4; i++) await expect(verify(first.flowSecret, "000000")).rejects.toThrow();
      expect((await verify(first.flowSecret, "000000")).kind).toBe("voided");
      const second = await login();
      for (let i = 0; i < 4; i++) await expect(verify(second.flowSecret, "000000")).rejects.toThrow();
      expect((await verify(second.flowSecret, totp.code(round * 30_000))).kind).toBe("done");
    }
    expect(await eventsOf(gh, realm, "user.mfa_locked")).toHaveLength(0);
  });

  it("spends a recovery code once; the login's amr says a recovery code was used", async () => {
    const { gh, realm, user, login, verify, totp } = await setup();
    const [first = "", second = ""] = totp.recoveryCodes;
    const done = finished(await verify((await login()).flowSecret, first.toUpperCase(), "recovery_code"));
    expect(decodeJwt(new URL(done.redirectUrl).searchParams.get("token") ?? "")).toMatchObject({
      amr: ["pwd", "otp", "rc"],
    });
    expect((await gh.mfa.status(realm.id, user.id)).recoveryCodesLeft).toBe(9);
    const again = await login();
    await expect(verify(again.flowSecret, first, "recovery_code")).rejects.toMatchObject({
      fields: [{ field: "recovery_code", code: "mfa.recovery_code_invalid" }],
    });
    expect((await verify(again.flowSecret, second, "recovery_code")).kind).toBe("done");
  });

  it("comes before a password change, which then follows with the proven factor", async () => {
    const { gh, realm, user, login, verify, totp } = await setup();
    await gh.users.update(realm, user.id, { must_change_password: true });
    const step = await login();
    expect(step.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/verify`);
    // The password step does not serve this flow yet.
    expect(await gh.flows.passwordStep(realm, step.flowSecret)).toBeNull();
    const next = pendingStep(await verify(step.flowSecret, totp.code()));
    expect(next.redirectUrl).toBe(`${gh.realmUrl(realm)}/login/password`);
    expect(await gh.flows.passwordStep(realm, next.flowSecret)).toMatchObject({ reason: "required" });
    const done = finished(
      await gh.flows.choosePassword(realm, next.flowSecret, { password: "a-brand-new-passphrase-77" }, ctx),
    );
    expect(done.session.amr).toEqual(["pwd", "otp"]);
  });
});
