import { describe, expect, it } from "vitest";
import { testRealm, testServices } from "@/test/db";

describe("apps.find and apps.resolve with a client_id that cannot be an id", () => {
  it("find nothing and ask the database nothing (a NUL made the query fail: a 500, found by the form fuzz)", async () => {
    const gh = await testServices();
    const { realm, app } = await testRealm(gh);
    expect(await gh.apps.find(realm.id, app.id)).toMatchObject({ id: app.id });
    for (const id of ["app_1\u0000", "\u0000", "", "a b", "x".repeat(65), "app_1;drop"])
      expect(await gh.apps.find(realm.id, id)).toBeNull();
    await expect(gh.apps.resolve(realm.id, "app_\u0000")).rejects.toMatchObject({ code: "app.not_found" });
  });
});
