import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { tables } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { RequestContext } from "@/lib/events";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { DEVICES_PER_USER } from "@/lib/sessions/known-devices";
import { completed, testRealm, testServices } from "@/test/db";

const PASSWORD = "a-long-enough-password";
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

/** A browser: its address and user agent, and the device cookie it got at its last login. */
function browser(ip = "203.0.113.7", userAgent = FIREFOX) {
  const devices: Record<string, string> = {};
  return {
    context: (): RequestContext => ({ ip, userAgent, devices: { ...devices } }),
    keep(realm: Realm, secret: string) {
      devices[realm.id] = secret;
    },
  };
}

async function logIn(gh: Services, realm: Realm, b: ReturnType<typeof browser>, email: string) {
  const entry = await gh.flows.entry(realm, {});
  const done = completed(
    await gh.flows.loginWithPassword(realm, entry, { email, password: PASSWORD }, b.context()),
  );
  b.keep(realm, done.deviceSecret);
  return done;
}

async function failLogin(gh: Services, realm: Realm, email: string, ip: string) {
  const entry = await gh.flows.entry(realm, {});
  return gh.flows
    .loginWithPassword(realm, entry, { email, password: "wrong" }, { ip, userAgent: FIREFOX })
    .then(
      () => "ok",
      (error) => error,
    );
}

async function mails(gh: Services, realm: Realm, template: string) {
  return gh.db
    .select()
    .from(tables.emailOutbox)
    .where(and(eq(tables.emailOutbox.realmId, realm.id), eq(tables.emailOutbox.template, template)));
}

async function setup(settings: Record<string, unknown>) {
  const clock = fixedClock("2030-01-01T00:00:00Z");
  const gh = await testServices({ clock });
  const { realm } = await testRealm(gh, settings);
  const user = await gh.users.create(realm, {
    email: "ada@example.com",
    password: PASSWORD,
    first_name: "Ada",
  });
  return { gh, realm, user, clock };
}

describe("new-device login notice", () => {
  it("is sent once, for the first password login from a browser the user never used, and never again from it", async () => {
    const { gh, realm, user } = await setup({ login_notice_new_device: true });
    const laptop = browser();
    // The very first login: no known device to compare with, so no notice.
    const first = await logIn(gh, realm, laptop, user.email);
    expect(first.deviceSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await logIn(gh, realm, laptop, user.email)).toMatchObject({ deviceSecret: first.deviceSecret });
    expect(await mails(gh, realm, "new_device")).toHaveLength(0);

    const phone = browser(
      "198.51.100.23",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    );
    const second = await logIn(gh, realm, phone, user.email);
    expect(second.deviceSecret).not.toBe(first.deviceSecret);
    const sent = await mails(gh, realm, "new_device");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ toAddress: "ada@example.com", userId: user.id });
    expect(sent[0]?.text).toContain("Safari on iOS, from 198.51.100.23");

    // Known from now on, and the laptop still is.
    await logIn(gh, realm, phone, user.email);
    await logIn(gh, realm, laptop, user.email);
    expect(await mails(gh, realm, "new_device")).toHaveLength(1);

    const logins = await gh.db
      .select()
      .from(tables.events)
      .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.type, "user.login")))
      .orderBy(tables.events.id);
    expect(logins.map((e) => (e.data as { new_device?: boolean }).new_device ?? false)).toEqual([
      true,
      false,
      true,
      false,
      false,
    ]);
  });

  it("is not sent when the setting is off, yet the devices are remembered for when it is switched on", async () => {
    const { gh, realm, user } = await setup({ login_notice_new_device: false });
    const laptop = browser();
    await logIn(gh, realm, laptop, user.email);
    await logIn(gh, realm, browser("198.51.100.1"), user.email);
    expect(await mails(gh, realm, "new_device")).toHaveLength(0);

    const on = await gh.realms.update(realm.id, { settings: { login_notice_new_device: true } });
    await logIn(gh, on, laptop, user.email);
    expect(await mails(gh, realm, "new_device")).toHaveLength(0);
    await logIn(gh, on, browser("192.0.2.50"), user.email);
    expect(await mails(gh, realm, "new_device")).toHaveLength(1);
  });

  it("is not sent for the signup itself; the signup's browser is known afterwards", async () => {
    const { gh, realm } = await setup({ login_notice_new_device: true });
    const laptop = browser();
    const entry = await gh.flows.entry(realm, {});
    const signup = completed(
      await gh.flows.signup(realm, entry, { email: "new@example.com", password: PASSWORD }, laptop.context()),
    );
    laptop.keep(realm, signup.deviceSecret);
    await logIn(gh, realm, laptop, "new@example.com");
    expect(await mails(gh, realm, "new_device")).toHaveLength(0);
    await logIn(gh, realm, browser("198.51.100.2"), "new@example.com");
    expect(await mails(gh, realm, "new_device")).toHaveLength(1);
  });

  it("treats a device cookie of another user or another realm as a new device, and ignores malformed ones", async () => {
    const { gh, realm, user } = await setup({ login_notice_new_device: true });
    const other = await gh.users.create(realm, { email: "bob@example.com", password: PASSWORD });
    const { realm: elsewhere } = await testRealm(gh, { login_notice_new_device: true });
    await gh.users.create(elsewhere, { email: "ada@example.com", password: PASSWORD });

    const shared = browser();
    await logIn(gh, realm, shared, user.email);
    await logIn(gh, realm, browser("192.0.2.9"), other.email);
    // Bob on Ada's computer: new for Bob.
    await logIn(gh, realm, shared, other.email);
    expect((await mails(gh, realm, "new_device")).map((m) => m.toAddress)).toEqual(["bob@example.com"]);

    // Another realm never sees this realm's cookie: its own first login there, silent.
    const there = await logIn(gh, elsewhere, shared, "ada@example.com");
    expect(there.deviceSecret).not.toBe(shared.context().devices?.[realm.id]);

    const forged = { ip: "192.0.2.1", userAgent: FIREFOX, devices: { [realm.id]: "not-a-device-secret" } };
    const entry = await gh.flows.entry(realm, {});
    const done = completed(
      await gh.flows.loginWithPassword(realm, entry, { email: user.email, password: PASSWORD }, forged),
    );
    expect(done.deviceSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await mails(gh, realm, "new_device")).map((m) => m.toAddress).sort()).toEqual([
      "ada@example.com",
      "bob@example.com",
    ]);
  });

  it(`remembers at most ${DEVICES_PER_USER} devices per user, forgetting the least recently seen`, async () => {
    const { gh, realm, user, clock } = await setup({ login_notice_new_device: false });
    const first = browser();
    await logIn(gh, realm, first, user.email);
    for (let i = 0; i < DEVICES_PER_USER + 5; i++) {
      clock.advance(1000);
      await logIn(gh, realm, browser(`192.0.2.${i}`), user.email);
    }
    const rows = await gh.db
      .select()
      .from(tables.knownDevices)
      .where(and(eq(tables.knownDevices.realmId, realm.id), eq(tables.knownDevices.userId, user.id)));
    expect(rows).toHaveLength(DEVICES_PER_USER);
    // The first browser was the least recently seen: forgotten, so new again.
    const again = await logIn(gh, realm, first, user.email);
    const login = await gh.db
      .select()
      .from(tables.events)
      .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.sessionId, again.session.id)));
    expect(login[0]?.data).toMatchObject({ new_device: true });
  });
});

describe("account-locked notice", () => {
  const lockSettings = {
    login_notice_locked: true,
    login_lock_after_failures: 4,
    login_lock_minutes: 30,
    login_delay_after_failures: 50,
  };

  it("is sent once per lock, with the address and the end of the lock", async () => {
    const { gh, realm, user, clock } = await setup(lockSettings);
    for (let i = 0; i < 10; i++) await failLogin(gh, realm, user.email, "203.0.113.9");
    let sent = await mails(gh, realm, "account_locked");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ toAddress: user.email, userId: user.id });
    const until = new Date(clock.now().getTime() + 30 * 60_000).toISOString();
    expect(sent[0]?.text).toContain(`from 203.0.113.9`);
    // The template prints the end of the lock in words, in UTC.
    expect(until).toBe("2030-01-01T00:30:00.000Z");
    expect(sent[0]?.text).toContain("blocked until 1 January 2030 at 00:30 UTC");

    // After the lock has run its course, a new lock is a new notice.
    clock.advance(31 * 60_000);
    for (let i = 0; i < 6; i++) await failLogin(gh, realm, user.email, "203.0.113.9");
    sent = await mails(gh, realm, "account_locked");
    expect(sent).toHaveLength(2);
  });

  it("is never sent for an identifier that names no account, whose answer stays the same", async () => {
    const { gh, realm, user } = await setup(lockSettings);
    const outcomes: unknown[] = [];
    for (let i = 0; i < 6; i++)
      outcomes.push(await failLogin(gh, realm, "nobody@example.com", "203.0.113.9"));
    for (let i = 0; i < 6; i++) outcomes.push(await failLogin(gh, realm, user.email, "203.0.113.10"));
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(AppError);
      expect((outcome as AppError).code).toBe("auth.invalid_credentials");
    }
    const locks = await gh.db
      .select()
      .from(tables.events)
      .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.type, "user.locked")));
    expect(locks.map((e) => e.userId)).toEqual([null, user.id]);
    const sent = await mails(gh, realm, "account_locked");
    expect(sent.map((m) => m.toAddress)).toEqual([user.email]);
  });

  it("is not sent when the setting is off", async () => {
    const { gh, realm, user } = await setup({ ...lockSettings, login_notice_locked: false });
    for (let i = 0; i < 6; i++) await failLogin(gh, realm, user.email, "203.0.113.9");
    expect(await mails(gh, realm, "account_locked")).toHaveLength(0);
  });

  it("is sent when guessing the current password on the profile locks the account", async () => {
    const { gh, realm, user } = await setup(lockSettings);
    const done = await logIn(gh, realm, browser(), user.email);
    const context = { ip: "203.0.113.30", userAgent: FIREFOX };
    for (let i = 0; i < 6; i++) {
      await gh.account
        .changePassword(
          realm,
          done.session,
          { current_password: "wrong", password: "another-long-password" },
          context,
        )
        .catch(() => {});
    }
    const sent = await mails(gh, realm, "account_locked");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain("from 203.0.113.30");
  });
});
