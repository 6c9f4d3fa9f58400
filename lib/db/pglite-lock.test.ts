import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lockDataDir } from "./pglite-lock";

describe("one process per PGlite data directory", () => {
  const dir = () => path.join(mkdtempSync(path.join(tmpdir(), "gh-lock-")), "data");

  it("refuses a directory locked by another running process, naming it", () => {
    const data = dir();
    writeFileSync(`${data}.lock`, String(process.ppid)); // the test runner's parent: alive
    expect(() => lockDataDir(data)).toThrow(new RegExp(`in use by process ${process.ppid}`));
  });

  it("takes over a lock left by a process that is gone, and releases it", () => {
    const data = dir();
    writeFileSync(`${data}.lock`, "999999999");
    const release = lockDataDir(data);
    expect(readFileSync(`${data}.lock`, "utf8")).toBe(String(process.pid));
    release();
    expect(existsSync(`${data}.lock`)).toBe(false);
  });
});
