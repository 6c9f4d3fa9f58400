import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { errorResponse, pathParamsCanNameRows } from "./handler";

afterEach(() => vi.restoreAllMocks());

describe("errorResponse", () => {
  it("answers 503 service.unavailable with Retry-After when the database cannot be reached", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const response = errorResponse(
      Object.assign(new Error("Failed query: select …"), { cause: refused }),
      "r1",
    );
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({
      error: { code: "service.unavailable", message: expect.stringMatching(/unavailable.*few seconds/) },
    });
    // One line, without the query or its parameters.
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]?.[0])).not.toContain("select");
  });

  it("still answers a bare 500 for any other unexpected error", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = errorResponse(Object.assign(new Error("boom"), { code: "22021" }), "r2");
    expect(response.status).toBe(500);
    expect((await response.json()).error).toMatchObject({ code: "internal", request_id: "r2" });
  });

  it("answers an AppError with its own status", async () => {
    const response = errorResponse(new AppError("realm.not_found"), "r3");
    expect(response.status).toBe(404);
  });
});

describe("pathParamsCanNameRows", () => {
  it("is false when a parameter holds a NUL (PostgreSQL cannot compare it: a 500 before, found by the API fuzz)", () => {
    expect(pathParamsCanNameRows({ realm: "acme\u0000", id: "usr_1" })).toBe(false);
    expect(pathParamsCanNameRows({ path: ["v1", "\u0000"] })).toBe(false);
  });

  it("is true for anything else", () => {
    expect(pathParamsCanNameRows({ realm: "acme", id: "\ud800%00" })).toBe(true);
    expect(pathParamsCanNameRows({})).toBe(true);
    expect(pathParamsCanNameRows(undefined)).toBe(true);
  });
});
