import { describe, expect, it } from "vitest";
import { createSemaphore } from "./semaphore";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tracker() {
  let active = 0;
  let peak = 0;
  return {
    async task<T>(value: T, ms: number): Promise<T> {
      active++;
      peak = Math.max(peak, active);
      try {
        await tick(ms);
        return value;
      } finally {
        active--;
      }
    },
    get peak() {
      return peak;
    },
  };
}

describe("createSemaphore", () => {
  it("never runs more than `limit` tasks at once, and uses all of them", async () => {
    const slots = createSemaphore(3);
    const t = tracker();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => slots.run(() => t.task(i, (i * 7) % 5))),
    );
    expect(results).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(t.peak).toBe(3);
    expect(slots.pending).toBe(0);
  });

  it("keeps the limit when finished tasks immediately queue new ones", async () => {
    const slots = createSemaphore(2);
    const t = tracker();
    const chain = async (n: number): Promise<void> => {
      for (let i = 0; i < 10; i++) await slots.run(() => t.task(n, i % 3));
    };
    await Promise.all(Array.from({ length: 6 }, (_, n) => chain(n)));
    expect(t.peak).toBe(2);
  });

  it("keeps the limit when tasks finish synchronously", async () => {
    const slots = createSemaphore(1);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 50 }, () =>
        slots.run(async () => {
          active++;
          peak = Math.max(peak, active);
          active--;
        }),
      ),
    );
    expect(peak).toBe(1);
  });

  it("starts queued tasks in the order they arrived", async () => {
    const slots = createSemaphore(1);
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        slots.run(async () => {
          started.push(i);
          await tick(1);
        }),
      ),
    );
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("reports how many tasks wait", async () => {
    const slots = createSemaphore(1);
    let release = () => {};
    const first = slots.run(() => new Promise<void>((resolve) => (release = resolve)));
    const second = slots.run(async () => "second");
    const third = slots.run(async () => "third");
    await tick(0);
    expect(slots.pending).toBe(2);
    release();
    await expect(Promise.all([first, second, third])).resolves.toEqual([undefined, "second", "third"]);
    expect(slots.pending).toBe(0);
  });

  it("releases the slot when a task fails, and passes the error on", async () => {
    const slots = createSemaphore(1);
    const failing = slots.run(async () => {
      await tick(1);
      throw new Error("boom");
    });
    const throwingSync = slots.run(() => {
      throw new Error("sync boom");
    });
    const next = slots.run(async () => "ran");
    await expect(failing).rejects.toThrow("boom");
    await expect(throwingSync).rejects.toThrow("sync boom");
    await expect(next).resolves.toBe("ran");
    expect(slots.pending).toBe(0);
  });
});
