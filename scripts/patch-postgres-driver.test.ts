import { describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without type declarations
import { patchConnectionSource } from "./patch-postgres-driver.mjs";

const SOURCE = [
  "  function nextWrite(fn) {",
  "    const x = socket.write(chunk, fn)",
  "  function terminate() {",
  "    clearImmediate(nextWriteTimer)",
  "  function closed() {",
  "    clearImmediate(nextWriteTimer)",
  "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))",
  "",
].join("\n");

describe("patchConnectionSource", () => {
  it("forgets the pending write on close and terminate, guards a write without a socket, forgets a dead socket's query", () => {
    const patched = patchConnectionSource(SOURCE);
    expect(patched.match(/chunk = nextWriteTimer = null/g)).toHaveLength(3);
    expect(patched).toContain("if (!socket)");
    expect(patched).toContain("query = errorResponse = null");
  });

  it("is idempotent", () => {
    const once = patchConnectionSource(SOURCE);
    expect(patchConnectionSource(once)).toBe(once);
  });

  it("refuses a source it was not written for (a later release: check whether the fix is still needed)", () => {
    expect(() => patchConnectionSource("function other() {}")).toThrow(/not the 3\.4\.9 source/);
  });
});
