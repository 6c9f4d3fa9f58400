import { describe, expect, it } from "vitest";
import { holdsPermission, permissionsOverlap } from "./permissions";

describe("permission patterns (2FA policy by permission)", () => {
  it.each([
    // held, named by the policy
    ["admin:users", "admin:users"],
    ["admin:*", "admin:users"],
    ["admin:*", "admin:users:delete"],
    ["admin:*", "admin"],
    ["*", "admin:users"],
    ["*:users", "admin:users"],
    ["admin:users", "admin:*"],
    ["admin:users:read", "admin:*"],
    ["billing:read", "*"],
    ["admin:*:read", "admin:users:read"],
    ["Admin:Users", "admin:users"],
  ])("held %s matches a policy of %s", (held, named) => {
    expect(permissionsOverlap(held, named)).toBe(true);
    // The match is symmetric: the same pair read the other way round.
    expect(permissionsOverlap(named, held)).toBe(true);
  });

  it.each([
    ["admin", "admin:users"],
    ["admin:users", "admin:users:delete"],
    ["billing:*", "admin:users"],
    ["admin:groups", "admin:users"],
    ["*:groups", "admin:users"],
    ["admin:*:read", "admin:users:write"],
    ["admin:*:read", "admin"],
    ["admin:users", "admin:userss"],
    ["", "admin"],
    ["admin:", "admin:users"],
  ])("held %s does not match a policy of %s", (held, named) => {
    expect(permissionsOverlap(held, named)).toBe(false);
    expect(permissionsOverlap(named, held)).toBe(false);
  });

  it("checks every permission a member holds", () => {
    expect(holdsPermission(["billing:read", "admin:*"], "admin:users")).toBe(true);
    expect(holdsPermission(["billing:read", "support:*"], "admin:users")).toBe(false);
    expect(holdsPermission([], "admin:users")).toBe(false);
  });
});
