import { describe, expect, it } from "vitest";
import { readSettings, realmSettingsPatchSchema, realmSettingsSchema } from "./settings";

const DEFAULTS = {
  bcrypt_cost: 12,
  password_min_length: 8,
  password_max_length: 256,
  session_minutes: 360,
  token_minutes: 15,
  token_algorithm: "RS256",
  signup_mode: "open",
  signup_names: "optional",
  password_strength_min: 2,
  password_required_classes: [],
  password_blocklist: true,
  password_history: 0,
  password_expiry_days: null,
  username_mode: "email",
  login_delay_after_failures: 5,
  login_lock_after_failures: 100,
  login_lock_minutes: 60,
  login_ip_failures_per_hour: 1000,
  signup_ip_per_hour: 20,
  signup_email_domains_allow: [],
  signup_email_domains_deny: [],
  signup_altcha: false,
  max_sessions_per_user: 10,
  session_limit_policy: "evict_oldest",
  email_verification: "request",
  email_from: null,
  email_welcome: false,
  login_notice_new_device: false,
  login_notice_locked: false,
  reset_ip_per_hour: 30,
  email_per_recipient_per_hour: 5,
  mfa_policy: "optional",
  mfa_permission: null,
  password_login: true,
  social_auto_link: false,
};

describe("realm settings", () => {
  it("defaults to the safe modern choices of DESIGN section 7", () => {
    expect(readSettings({})).toEqual(DEFAULTS);
    expect(readSettings(null)).toEqual(DEFAULTS);
    expect(readSettings(undefined)).toEqual(DEFAULTS);
  });

  it("fills missing keys and keeps stored ones", () => {
    expect(readSettings({ bcrypt_cost: 4, signup_mode: "closed" })).toEqual({
      ...DEFAULTS,
      bcrypt_cost: 4,
      signup_mode: "closed",
    });
  });

  it("falls back to the default for an invalid key while keeping the valid ones", () => {
    const settings = readSettings({
      bcrypt_cost: 4,
      token_minutes: 60,
      session_minutes: -1,
      token_algorithm: "none",
      signup_names: "required",
    });
    expect(settings).toEqual({
      ...DEFAULTS,
      bcrypt_cost: 4,
      token_minutes: 60,
      signup_names: "required",
    });
  });

  it("drops unknown stored keys", () => {
    expect(readSettings({ legacy_flag: true, bcrypt_cost: 10 })).toEqual({ ...DEFAULTS, bcrypt_cost: 10 });
  });

  it("survives stored values that are not objects", () => {
    expect(readSettings("garbage")).toEqual(DEFAULTS);
    expect(readSettings([1, 2])).toEqual(DEFAULTS);
    expect(readSettings(42)).toEqual(DEFAULTS);
  });

  it("bounds the bcrypt cost", () => {
    const withCost = (bcrypt_cost: unknown) =>
      realmSettingsSchema.safeParse({ ...DEFAULTS, bcrypt_cost }).success;
    expect(withCost(4)).toBe(true);
    expect(withCost(15)).toBe(true);
    expect(withCost(3)).toBe(false);
    expect(withCost(16)).toBe(false);
    expect(withCost(12.5)).toBe(false);
    expect(withCost("12")).toBe(false);
    expect(readSettings({ bcrypt_cost: 3 }).bcrypt_cost).toBe(12);
  });
});

describe("realmSettingsPatchSchema", () => {
  it("accepts any subset without filling defaults", () => {
    expect(realmSettingsPatchSchema.parse({ token_minutes: 30 })).toEqual({ token_minutes: 30 });
    expect(realmSettingsPatchSchema.parse({})).toEqual({});
  });

  it("refuses unknown keys", () => {
    const result = realmSettingsPatchSchema.safeParse({ token_minutes: 30, is_admin: true });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
  });

  it("refuses invalid values", () => {
    expect(realmSettingsPatchSchema.safeParse({ token_algorithm: "none" }).success).toBe(false);
    expect(realmSettingsPatchSchema.safeParse({ signup_mode: "OPEN" }).success).toBe(false);
    expect(realmSettingsPatchSchema.safeParse({ token_minutes: 0 }).success).toBe(false);
  });
});

describe("readSettings: inconsistent lengths", () => {
  it("falls back to the default lengths when stored min exceeds max (no password could pass)", () => {
    const settings = readSettings({ password_min_length: 200, password_max_length: 100, token_minutes: 7 });
    expect(settings.password_min_length).toBe(8);
    expect(settings.password_max_length).toBe(256);
    expect(settings.token_minutes).toBe(7);
  });
});
