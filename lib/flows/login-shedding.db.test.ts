import { availableParallelism } from "node:os";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { formStateFromError } from "@/lib/forms/state";
import { createServices } from "@/lib/services";
import { TEST_PUBLIC_URL, testDb, testRealm } from "@/test/db";

const PASSWORD = "the-right-password-42";
const ctx = { ip: "203.0.113.7", userAgent: "vitest" };

/**
 * Load shedding of password logins (lib/passwords/admission.ts): beyond one login per core plus the
 * queue, a login is refused at once with `server.busy`, before the throttle counts it, so shed load
 * never turns into failed attempts against a real user.
 */
describe("password logins over the admission bound", () => {
  it("are refused with server.busy, never evaluated or counted, and the next one is admitted", async () => {
    const { db } = await testDb();
    const gh = createServices({ db, publicUrl: TEST_PUBLIC_URL, loginQueue: 0 });
    const { realm } = await testRealm(gh);
    const user = await gh.users.create(realm, { email: "busy@example.com", password: PASSWORD });
    const entry = await gh.flows.entry(realm, {});
    const login = (password: string) =>
      gh.flows.loginWithPassword(realm, entry, { email: user.email, password }, ctx).then(
        () => "ok" as const,
        (error: unknown) => {
          if (!isAppError(error)) throw error;
          return error;
        },
      );
    const admitted = availableParallelism();

    // Started in one go: the first `admitted` hold their places while the others arrive.
    const outcomes = await Promise.all(Array.from({ length: admitted + 3 }, () => login("wrong")));
    const codes = outcomes.map((o) => (o === "ok" ? o : o.code));
    expect(codes.filter((c) => c === "auth.invalid_credentials")).toHaveLength(admitted);
    expect(codes.filter((c) => c === "server.busy")).toHaveLength(3);

    // Only the evaluated attempts count against the account and appear as failures.
    const state = await gh.throttle.accountState(realm.id, user.id);
    expect(state.account.failuresThisWindow).toBe(admitted);
    expect(state.pairs.map((p) => p.failuresThisWindow)).toEqual([admitted]);
    const failed = await db
      .select()
      .from(tables.events)
      .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.type, "user.login_failed")));
    expect(failed).toHaveLength(admitted);

    // The form shows the catalogue's "try again in a few seconds" (503 in JSON).
    const busy = outcomes.find((o) => o !== "ok" && o.code === "server.busy");
    expect(busy !== "ok" && busy?.status).toBe(503);
    expect(formStateFromError(busy).formError).toEqual({ code: "server.busy" });

    // Once those are done, logins are admitted again.
    expect(await login(PASSWORD)).toBe("ok");
  });
});
