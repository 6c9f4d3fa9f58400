import { describe, expect, it } from "vitest";
import { loggableError } from "./log-safe";

describe("loggableError", () => {
  it("drops the parameters of a failed query and keeps the database's code and message", () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "x"'), {
      code: "23505",
    });
    const error = new Error(
      "Failed query: insert into email_outbox … params: https://id.test/r/reset?token=SECRET",
      {
        cause,
      },
    );
    const line = loggableError(error);
    expect(line).not.toContain("SECRET");
    expect(line).toContain("23505");
    expect(line).toContain("duplicate key value");
  });

  it("keeps other errors' name and message", () => {
    expect(loggableError(new TypeError("boom"))).toBe("TypeError: boom");
    expect(loggableError("text")).toBe("string");
  });
});
