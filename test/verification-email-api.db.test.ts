import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as route from "@/app/api/v1/realms/[realm]/users/[id]/verification_email/route";
import { tables } from "@/lib/db";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { call, type Handler, routesUseTestServices } from "@/test/api";
import { testRealm } from "@/test/db";

const services = routesUseTestServices();
const POST = route.POST as Handler;

async function mailsTo(gh: Services, realm: Realm, to: string) {
  return gh.db
    .select()
    .from(tables.emailOutbox)
    .where(and(eq(tables.emailOutbox.realmId, realm.id), eq(tables.emailOutbox.toAddress, to)))
    .orderBy(tables.emailOutbox.id);
}

const secretIn = (text: string) => /\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? null;

describe("POST /api/v1/realms/{realm}/users/{id}/verification_email", () => {
  it("mails a new link (202); users created through the API get none on their own", async () => {
    const gh = await services();
    const { realm, app } = await testRealm(gh);
    const user = await gh.users.create(realm, { email: "api-made@example.com" });
    expect(await mailsTo(gh, realm, user.email)).toHaveLength(0);

    const params = { realm: realm.slug, id: user.id };
    const first = await call(POST, { method: "POST", params });
    expect(first.status).toBe(202);
    expect(first.json).toMatchObject({ object: "verification_email", user_id: user.id, email: user.email });
    expect(new Date(first.json.expires_at).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);

    const second = await call(POST, { method: "POST", params, body: { client_id: app.id } });
    expect(second.status).toBe(202);
    const [old, fresh] = await mailsTo(gh, realm, user.email);
    // Only the newest link works; it carries the app for the confirmed page's way back.
    expect(await gh.emailVerification.peek(realm, secretIn(old?.text ?? ""))).toBeNull();
    const live = await gh.emailVerification.peek(realm, secretIn(fresh?.text ?? ""));
    expect(live?.token.data).toMatchObject({
      client_id: app.id,
      redirect_uri: "https://app.example/callback",
    });
  });

  it("409 when already verified, 404 for an unknown user, a 4xx for a bad body; nothing is sent", async () => {
    const gh = await services();
    const { realm } = await testRealm(gh);
    const done = await gh.users.create(realm, { email: "done@example.com", email_verified: true });
    const user = await gh.users.create(realm, { email: "todo@example.com" });
    const post = (id: string, body?: unknown) =>
      call(POST, { method: "POST", params: { realm: realm.slug, id }, body });
    expect((await post(done.id)).json.error.code).toBe("email.already_verified");
    expect((await post(done.id)).status).toBe(409);
    expect((await post("usr_nobody")).status).toBe(404);
    expect((await post(user.id, { colour: "blue" })).status).toBe(422);
    expect((await post(user.id, { client_id: "app_nope" })).json.error.code).toBe("app.not_found");
    expect((await post(user.id, { redirect_uri: "https://evil.example/" })).json.error.code).toBe(
      "redirect_uri.invalid",
    );
    expect(await mailsTo(gh, realm, "done@example.com")).toHaveLength(0);
    expect(await mailsTo(gh, realm, "todo@example.com")).toHaveLength(0);
    expect(
      (await call(POST, { method: "POST", params: { realm: realm.slug, id: user.id }, auth: null })).status,
    ).toBe(401);
  });

  it("429 over the address's hourly budget", async () => {
    const gh = await services();
    const { realm } = await testRealm(gh, { email_per_recipient_per_hour: 2 });
    const user = await gh.users.create(realm, { email: "busy@example.com" });
    const post = () => call(POST, { method: "POST", params: { realm: realm.slug, id: user.id } });
    expect((await post()).status).toBe(202);
    expect((await post()).status).toBe(202);
    const over = await post();
    expect(over.status).toBe(429);
    expect(over.json.error.code).toBe("rate.limited");
    expect(await mailsTo(gh, realm, user.email)).toHaveLength(2);
  });
});
