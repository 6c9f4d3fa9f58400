import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { testRealm, testServices } from "@/test/db";
import { createDevMailbox } from "./dev-mailbox";

describe("development mailbox (database)", () => {
  it("lists every realm's emails newest first with the realm's slug, and shows one with its attempts", async () => {
    const clock = fixedClock("2031-05-01T10:00:00Z");
    const gh = await testServices({ clock });
    const a = await testRealm(gh);
    const b = await testRealm(gh);
    const first = await gh.mailer.send({
      realm: a.realm,
      template: "welcome",
      to: "one@example.com",
      user: { email: "one@example.com" },
    });
    clock.advance(1000);
    const second = await gh.mailer.send({
      realm: b.realm,
      template: "welcome",
      to: "two@example.com",
      user: { email: "two@example.com" },
    });
    await gh.outbox.markFailed({ ...second, attempts: 1 }, "w1", "421 try later");

    const mailbox = createDevMailbox({ outbox: gh.outbox, realms: gh.realms });
    const listed = (await mailbox.list()).filter((e) => e.id === first.id || e.id === second.id);
    expect(listed.map((e) => [e.id, e.realmSlug, e.toAddress, e.status])).toEqual([
      [second.id, b.realm.slug, "two@example.com", "pending"],
      [first.id, a.realm.slug, "one@example.com", "pending"],
    ]);
    expect(listed[0]?.lastError).toBe("421 try later");

    const shown = await mailbox.show(b.realm.id, second.id);
    expect(shown?.email).toMatchObject({ id: second.id, subject: `Welcome to ${b.realm.name}` });
    expect(shown?.attempts).toMatchObject([{ worker: "w1", ok: "failed", error: "421 try later" }]);

    // An email is found under its own realm only; malformed addresses are not looked up at all.
    expect(await mailbox.show(a.realm.id, second.id)).toBeNull();
    expect(await mailbox.show("rl_' or 1=1 --", second.id)).toBeNull();
    expect(await mailbox.show(b.realm.id, "../etc")).toBeNull();
  });
});
