import { newSecret } from "@/lib/crypto/secrets";
import { loggableError } from "@/lib/errors/log-safe";
import type { RequestContext } from "@/lib/events";
import type { Realm } from "@/lib/realms";
import { describeDevice } from "@/lib/sessions/device";
import type { KnownDevices } from "@/lib/sessions/known-devices";
import type { User } from "@/lib/users";
import type { Mailer } from "./mailer";

/** A device cookie as Gatehouse makes them (lib/crypto/secrets newSecret: 32 bytes, base64url). */
const DEVICE_SECRET = /^[A-Za-z0-9_-]{43}$/;

/** The `device` variable of the notice templates: words for every part, never null. */
export function noticeDevice(context: RequestContext): { browser: string; os: string; ip: string } {
  const { browser, os } = describeDevice(context.userAgent);
  return {
    browser: browser ?? "an unknown browser",
    os: os ?? "an unknown system",
    ip: context.ip ?? "an unknown address",
  };
}

export interface DeviceLogin {
  realm: Realm;
  user: User;
  app: { name: string } | null;
  /** What the login proved (`pwd`, …): only password logins are reported. */
  amr: string[];
  isSignup: boolean;
  context: RequestContext;
}

export interface LoginNoticeDeps {
  mailer: Mailer;
  devices: KnownDevices;
  log?: (line: string, error: unknown) => void;
}

/**
 * Login notices (realm settings `login_notice_new_device`, `login_notice_locked`). A notice is
 * queued after what it reports has happened; a failure to queue it is logged, never turned into a
 * failed login (the user already has a session, or already gets the same answer as everyone).
 */
export function createLoginNotices(deps: LoginNoticeDeps) {
  const log = deps.log ?? ((line, error) => console.error(`${line}: ${loggableError(error)}`));

  async function queue(realm: Realm, what: string, send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      log(`[mail] could not queue the ${what} notice of realm ${realm.id}:`, error);
      return false;
    }
  }

  return {
    /**
     * Every finished login remembers its device (so the setting works from the day it is switched
     * on). The user is told when they logged in with a password from a device they never used
     * before, unless it is their signup or they have no known device at all (their first login
     * since the feature exists, or after an import: no baseline, nothing to compare with).
     * Returns the device secret the browser keeps (its own, or a new one), whether the device was
     * new to the user, and whether they were told.
     */
    async deviceLogin(
      login: DeviceLogin,
    ): Promise<{ deviceSecret: string; newDevice: boolean; notified: boolean }> {
      const { realm, user, context } = login;
      const presented = context.devices?.[realm.id];
      const deviceSecret = presented && DEVICE_SECRET.test(presented) ? presented : newSecret();
      const seen = await deps.devices.sighted(realm.id, user.id, deviceSecret);
      const notify =
        realm.settings.login_notice_new_device &&
        seen.isNew &&
        seen.knewOthers &&
        !login.isSignup &&
        login.amr.includes("pwd");
      const notified =
        notify &&
        (await queue(realm, "new device", () =>
          deps.mailer.send({
            realm,
            template: "new_device",
            to: user.email,
            user,
            app: login.app,
            vars: { device: noticeDevice(context) },
          }),
        ));
      return { deviceSecret, newDevice: seen.isNew, notified };
    },

    /**
     * Failed attempts from one address just locked a user's account for that address (the one
     * attempt whose reservation started the lock: once per lock). Only ever for a real user.
     */
    async accountLocked(input: {
      realm: Realm;
      user: User;
      app: { name: string } | null;
      until: Date;
      context: RequestContext;
    }): Promise<void> {
      const { realm, user } = input;
      if (!realm.settings.login_notice_locked) return;
      await queue(realm, "account locked", () =>
        deps.mailer.send({
          realm,
          template: "account_locked",
          to: user.email,
          user,
          app: input.app,
          vars: { device: noticeDevice(input.context), locked_until: input.until.toISOString() },
        }),
      );
    },
  };
}

export type LoginNotices = ReturnType<typeof createLoginNotices>;
