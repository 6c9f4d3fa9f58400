import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, isUniqueViolation, unavailableCause } from "./errors";

/** The shape drizzle gives a failed query: its own error, the driver's as `cause`. */
const wrapped = (cause: unknown) => Object.assign(new Error("Failed query: select 1"), { cause });
const pg = (code: string) => Object.assign(new Error(`postgres says ${code}`), { code });

describe("isDatabaseUnavailable", () => {
  it.each([
    ["connection refused (server down)", "ECONNREFUSED"],
    ["connection reset (server killed)", "ECONNRESET"],
    ["postgres.js: connection closed", "CONNECTION_CLOSED"],
    ["postgres.js: connect timeout", "CONNECT_TIMEOUT"],
    ["admin shutdown (pg_ctl stop)", "57P01"],
    ["crash shutdown", "57P02"],
    ["the database system is starting up", "57P03"],
    ["connection failure (class 08)", "08006"],
    ["too many connections", "53300"],
  ])("is true for %s, bare or wrapped by drizzle", (_label, code) => {
    expect(isDatabaseUnavailable(pg(code))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(pg(code)))).toBe(true);
  });

  it.each([
    ["a unique violation", pg("23505")],
    ["a NUL byte in a text value", wrapped(pg("22021"))],
    ["a syntax error", pg("42601")],
    ["a plain error", new Error("ECONNREFUSED")],
    ["null", null],
    ["a string", "ECONNREFUSED"],
  ])("is false for %s", (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("stops on a cycle of causes", () => {
    const a: { code: string; cause?: unknown } = { code: "X" };
    a.cause = a;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });

  it("leaves isUniqueViolation as it was", () => {
    expect(isUniqueViolation(wrapped(pg("23505")))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(pg("23505")))).toBe(false);
  });

  it("describes the cause for the log without the query or its parameters", () => {
    const error = Object.assign(new Error("Failed query: select secret from t where x = $1"), {
      cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
    });
    expect(unavailableCause(error)).toBe("ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432");
    expect(unavailableCause(new Error("x"))).toBeNull();
  });
});
