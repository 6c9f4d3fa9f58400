import { describe, expect, it } from "vitest";
import { onShutdown, runShutdownHooks } from "./shutdown";

describe("shutdown hooks", () => {
  it("runs every hook once, through the global the server script calls, even when one fails", async () => {
    const ran: string[] = [];
    const logged: string[] = [];
    onShutdown(async () => {
      ran.push("a");
    });
    onShutdown(async () => {
      throw new Error("b broke");
    });
    onShutdown(async () => {
      ran.push("c");
    });
    const viaGlobal = (globalThis as { __gatehouseShutdown?: () => Promise<void> }).__gatehouseShutdown;
    expect(viaGlobal).toBeTypeOf("function");
    await runShutdownHooks((line) => logged.push(line));
    expect(ran).toEqual(["a", "c"]);
    expect(logged).toEqual(["[shutdown] b broke"]);
    await runShutdownHooks();
    expect(ran).toEqual(["a", "c"]);
  });
});
