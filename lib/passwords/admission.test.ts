import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors/app-error";
import { createAdmission, createLoginAdmission, defaultLoginQueue } from "./admission";

function gate() {
  let open = () => {};
  const closed = new Promise<void>((resolve) => (open = resolve));
  return { closed, open: () => open() };
}

describe("createAdmission", () => {
  it("refuses at once with server.busy beyond the limit, and admits again once one finishes", async () => {
    const admission = createAdmission(2);
    const g = gate();
    const first = admission.run(() => g.closed.then(() => "first"));
    const second = admission.run(() => g.closed.then(() => "second"));
    expect(admission.inFlight).toBe(2);
    expect(admission.full).toBe(true);

    const refused = await admission.run(async () => "third").catch((e: unknown) => e);
    expect(isAppError(refused) && refused.code).toBe("server.busy");
    expect(isAppError(refused) && refused.status).toBe(503);

    g.open();
    await expect(Promise.all([first, second])).resolves.toEqual(["first", "second"]);
    expect(admission.inFlight).toBe(0);
    expect(admission.full).toBe(false);
    await expect(admission.run(async () => "fourth")).resolves.toBe("fourth");
  });

  it("never runs a refused task", async () => {
    const admission = createAdmission(0);
    let ran = false;
    await expect(
      admission.run(async () => {
        ran = true;
      }),
    ).rejects.toMatchObject({ code: "server.busy" });
    expect(ran).toBe(false);
  });

  it("frees the place of a task that fails", async () => {
    const admission = createAdmission(1);
    await expect(admission.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(admission.inFlight).toBe(0);
    await expect(admission.run(async () => "ok")).resolves.toBe("ok");
  });
});

describe("createLoginAdmission", () => {
  it("admits one login per core plus the queue", async () => {
    const admission = createLoginAdmission(3, 2);
    const g = gate();
    const admitted = Array.from({ length: 5 }, () => admission.run(() => g.closed));
    await expect(admission.run(async () => {})).rejects.toMatchObject({ code: "server.busy" });
    g.open();
    await Promise.all(admitted);
  });

  it("has no bound without a queue, and a default of four per core", () => {
    expect(defaultLoginQueue(2)).toBe(8);
    expect(defaultLoginQueue(0)).toBe(4);
    const unbounded = createLoginAdmission();
    for (let i = 0; i < 1000; i++) void unbounded.run(() => new Promise(() => {}));
    expect(unbounded.inFlight).toBe(1000);
  });
});
