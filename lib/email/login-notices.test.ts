import { describe, expect, it } from "vitest";
import type { Realm } from "@/lib/realms";
import { settingDefaults } from "@/lib/realms/settings";
import type { KnownDevices } from "@/lib/sessions/known-devices";
import type { User } from "@/lib/users";
import { createLoginNotices, noticeDevice } from "./login-notices";
import type { Mailer } from "./mailer";

const realm = {
  id: "rl_1",
  slug: "acme",
  name: "Acme",
  settings: { ...settingDefaults, login_notice_new_device: true, login_notice_locked: true },
} as unknown as Realm;
const user = { id: "usr_1", email: "ada@example.com" } as User;
const context = { ip: "192.0.2.1", userAgent: null };

function fakes(options: { mailFails?: boolean; sighting?: { isNew: boolean; knewOthers: boolean } } = {}) {
  const sent: unknown[] = [];
  const seen: string[] = [];
  const logged: string[] = [];
  const mailer = {
    async send(input: unknown) {
      if (options.mailFails) throw new Error("template broken");
      sent.push(input);
      return {};
    },
  } as unknown as Mailer;
  const devices = {
    async sighted(_realmId: string, _userId: string, secret: string) {
      seen.push(secret);
      return options.sighting ?? { isNew: true, knewOthers: true };
    },
  } as KnownDevices;
  const notices = createLoginNotices({ mailer, devices, log: (line) => logged.push(line) });
  return { notices, sent, seen, logged };
}

describe("login notices", () => {
  it("names every part of the device, with words where the request said nothing", () => {
    expect(noticeDevice({ ip: null, userAgent: null })).toEqual({
      browser: "an unknown browser",
      os: "an unknown system",
      ip: "an unknown address",
    });
    expect(
      noticeDevice({
        ip: "2001:db8::1",
        userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
      }),
    ).toEqual({ browser: "Firefox", os: "Linux", ip: "2001:db8::1" });
  });

  it("keeps a well-formed device cookie and replaces anything else with a fresh 256-bit secret", async () => {
    const { notices, seen } = fakes();
    const login = { realm, user, app: null, amr: ["pwd"], isSignup: false };
    const mine = "A".repeat(43);
    expect(
      (await notices.deviceLogin({ ...login, context: { ...context, devices: { rl_1: mine } } }))
        .deviceSecret,
    ).toBe(mine);
    for (const bad of ["short", `${"A".repeat(43)}=`, "A".repeat(44), "<script>".padEnd(43, "A")]) {
      const { deviceSecret } = await notices.deviceLogin({
        ...login,
        context: { ...context, devices: { rl_1: bad } },
      });
      expect(deviceSecret).not.toBe(bad);
      expect(deviceSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    // Another realm's cookie is not this realm's.
    const other = await notices.deviceLogin({ ...login, context: { ...context, devices: { rl_2: mine } } });
    expect(other.deviceSecret).not.toBe(mine);
    expect(seen).toHaveLength(6);
  });

  it("tells only about password logins that are not the signup, from a device new among known ones", async () => {
    const cases = [
      { amr: ["pwd"], isSignup: false, sighting: { isNew: true, knewOthers: true }, notified: true },
      { amr: ["pwd"], isSignup: true, sighting: { isNew: true, knewOthers: true }, notified: false },
      { amr: ["pwd"], isSignup: false, sighting: { isNew: true, knewOthers: false }, notified: false },
      { amr: ["pwd"], isSignup: false, sighting: { isNew: false, knewOthers: true }, notified: false },
      {
        amr: ["social:github"],
        isSignup: false,
        sighting: { isNew: true, knewOthers: true },
        notified: false,
      },
    ];
    for (const c of cases) {
      const { notices, sent } = fakes({ sighting: c.sighting });
      const result = await notices.deviceLogin({
        realm,
        user,
        app: null,
        amr: c.amr,
        isSignup: c.isSignup,
        context,
      });
      expect(result.notified, JSON.stringify(c)).toBe(c.notified);
      expect(sent).toHaveLength(c.notified ? 1 : 0);
    }
  });

  it("never fails a login because a notice could not be queued", async () => {
    const { notices, logged } = fakes({ mailFails: true });
    const result = await notices.deviceLogin({
      realm,
      user,
      app: null,
      amr: ["pwd"],
      isSignup: false,
      context,
    });
    expect(result).toMatchObject({ newDevice: true, notified: false });
    await expect(
      notices.accountLocked({ realm, user, app: null, until: new Date(0), context }),
    ).resolves.toBeUndefined();
    expect(logged).toHaveLength(2);
  });
});
