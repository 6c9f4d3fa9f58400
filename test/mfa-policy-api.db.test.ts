import { describe, expect, it } from "vitest";
import * as realmRoute from "@/app/api/v1/realms/[realm]/route";
import * as realmsRoute from "@/app/api/v1/realms/route";
import { call, type Handler, routesUseTestServices } from "@/test/api";

routesUseTestServices();

describe("PATCH /api/v1/realms/{realm}: the 2FA policy", () => {
  it("refuses mfa_policy permission without mfa_permission with a 422 that names the field, and takes both together", async () => {
    const slug = `mfa${Date.now().toString(36)}`;
    const created = await call(realmsRoute.POST as Handler, {
      method: "POST",
      body: { slug, name: "MFA Realm", settings: { bcrypt_cost: 4 } },
    });
    expect(created.status).toBe(201);
    const params = { realm: slug };

    const refused = await call(realmRoute.PATCH as Handler, {
      method: "PATCH",
      params,
      body: { settings: { mfa_policy: "permission" } },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({
      code: "validation.failed",
      fields: [
        {
          field: "settings.mfa_permission",
          code: "mfa_permission.required",
          message: expect.stringContaining("set mfa_permission"),
        },
      ],
    });
    const unchanged = await call(realmRoute.GET as Handler, { params });
    expect(unchanged.json.settings).toMatchObject({ mfa_policy: "optional", mfa_permission: null });

    const patched = await call(realmRoute.PATCH as Handler, {
      method: "PATCH",
      params,
      body: { settings: { mfa_policy: "permission", mfa_permission: "admin:*" } },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.settings).toMatchObject({ mfa_policy: "permission", mfa_permission: "admin:*" });

    const malformed = await call(realmRoute.PATCH as Handler, {
      method: "PATCH",
      params,
      body: { settings: { mfa_permission: "admin users" } },
    });
    expect(malformed.status).toBe(422);
    expect(malformed.json.error.fields).toMatchObject([
      { field: "settings.mfa_permission", code: "field.invalid" },
    ]);
  });
});
