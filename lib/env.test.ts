import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

const KEY = "k".repeat(32);

describe("parseEnv", () => {
  it("fills defaults for an empty environment", () => {
    expect(parseEnv({})).toEqual({
      NODE_ENV: "development",
      PORT: 3000,
      PUBLIC_URL: "http://localhost:3000",
      GATEHOUSE_DATA_DIR: ".data",
    });
  });

  it("derives PUBLIC_URL from PORT and strips trailing slashes from a given one", () => {
    expect(parseEnv({ PORT: "8080" }).PUBLIC_URL).toBe("http://localhost:8080");
    expect(parseEnv({ PUBLIC_URL: "https://login.example.com/" }).PUBLIC_URL).toBe(
      "https://login.example.com",
    );
    expect(parseEnv({ PUBLIC_URL: "https://login.example.com/auth///" }).PUBLIC_URL).toBe(
      "https://login.example.com/auth",
    );
  });

  it("reads the other variables", () => {
    const env = parseEnv({
      NODE_ENV: "production",
      PORT: "443",
      DATABASE_URL: "postgresql://gh:pw@db:5432/gatehouse",
      GATEHOUSE_DATA_DIR: "/var/lib/gatehouse",
      GATEHOUSE_BOOTSTRAP_API_KEY: KEY,
      SMTP_URL: "smtps://mailer:pw@smtp.example.com:465",
    });
    expect(env).toMatchObject({
      NODE_ENV: "production",
      PORT: 443,
      DATABASE_URL: "postgresql://gh:pw@db:5432/gatehouse",
      GATEHOUSE_DATA_DIR: "/var/lib/gatehouse",
      GATEHOUSE_BOOTSTRAP_API_KEY: KEY,
    });
    expect(parseEnv({ DATABASE_URL: "postgres://localhost/x" }).DATABASE_URL).toBe("postgres://localhost/x");
  });

  it.each(["mysql://db/x", "http://db/x", "not a url"])(
    "refuses DATABASE_URL %j, naming the variable",
    (url) => {
      expect(() => parseEnv({ DATABASE_URL: url })).toThrow(/DATABASE_URL/);
    },
  );

  it("refuses a short bootstrap key with a message that says why", () => {
    expect(() => parseEnv({ GATEHOUSE_BOOTSTRAP_API_KEY: "short" })).toThrow(
      /GATEHOUSE_BOOTSTRAP_API_KEY.*at least 24 characters/,
    );
    expect(() => parseEnv({ GATEHOUSE_BOOTSTRAP_API_KEY: "k".repeat(23) })).toThrow(
      /GATEHOUSE_BOOTSTRAP_API_KEY/,
    );
    expect(
      parseEnv({ GATEHOUSE_BOOTSTRAP_API_KEY: "k".repeat(24) }).GATEHOUSE_BOOTSTRAP_API_KEY,
    ).toHaveLength(24);
  });

  it("reads an ALTCHA HMAC key of at least 32 characters and refuses a shorter one", () => {
    expect(parseEnv({ GATEHOUSE_ALTCHA_HMAC_KEY: "h".repeat(32) }).GATEHOUSE_ALTCHA_HMAC_KEY).toBe(
      "h".repeat(32),
    );
    expect(parseEnv({ GATEHOUSE_ALTCHA_HMAC_KEY: "" }).GATEHOUSE_ALTCHA_HMAC_KEY).toBeUndefined();
    expect(() => parseEnv({ GATEHOUSE_ALTCHA_HMAC_KEY: "h".repeat(31) })).toThrow(
      /GATEHOUSE_ALTCHA_HMAC_KEY.*at least 32 characters/,
    );
  });

  it("reads mail settings and refuses an SMTP_URL that is not smtp(s)", () => {
    const e = parseEnv({
      SMTP_URL: "smtps://u:p@mail.example.com:465",
      GATEHOUSE_MAIL_FROM: "Acme <a@acme.test>",
    });
    expect(e.SMTP_URL).toBe("smtps://u:p@mail.example.com:465");
    expect(e.GATEHOUSE_MAIL_FROM).toBe("Acme <a@acme.test>");
    expect(() => parseEnv({ SMTP_URL: "http://mail.example.com" })).toThrow(/SMTP_URL/);
    expect(() => parseEnv({ GATEHOUSE_DEV_MAILBOX: "yes" })).toThrow(/GATEHOUSE_DEV_MAILBOX/);
  });

  it("reads GATEHOUSE_LOGIN_QUEUE as a whole number, unset by default", () => {
    expect(parseEnv({}).GATEHOUSE_LOGIN_QUEUE).toBeUndefined();
    expect(parseEnv({ GATEHOUSE_LOGIN_QUEUE: "" }).GATEHOUSE_LOGIN_QUEUE).toBeUndefined();
    expect(parseEnv({ GATEHOUSE_LOGIN_QUEUE: "0" }).GATEHOUSE_LOGIN_QUEUE).toBe(0);
    expect(parseEnv({ GATEHOUSE_LOGIN_QUEUE: "32" }).GATEHOUSE_LOGIN_QUEUE).toBe(32);
    expect(() => parseEnv({ GATEHOUSE_LOGIN_QUEUE: "-1" })).toThrow(/GATEHOUSE_LOGIN_QUEUE/);
    expect(() => parseEnv({ GATEHOUSE_LOGIN_QUEUE: "many" })).toThrow(/GATEHOUSE_LOGIN_QUEUE/);
  });

  it("refuses production without SMTP, unless the development mailbox is asked for by name", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/SMTP_URL must be set in production/);
    expect(parseEnv({ NODE_ENV: "production", GATEHOUSE_DEV_MAILBOX: "1" }).NODE_ENV).toBe("production");
    expect(parseEnv({ NODE_ENV: "production", SMTP_URL: "smtp://mail.test:25" }).SMTP_URL).toBe(
      "smtp://mail.test:25",
    );
  });

  it("checks GATEHOUSE_ENCRYPTION_KEYS at boot, naming what is wrong", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    expect(parseEnv({ GATEHOUSE_ENCRYPTION_KEYS: `k1:${key}` }).GATEHOUSE_ENCRYPTION_KEYS).toBe(`k1:${key}`);
    expect(() => parseEnv({ GATEHOUSE_ENCRYPTION_KEYS: "k1:c2hvcnQ=" })).toThrow(
      /GATEHOUSE_ENCRYPTION_KEYS.*32 bytes/,
    );
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["PORT", "0"],
    ["PUBLIC_URL", "ftp://login.example.com"],
    ["PUBLIC_URL", "login.example.com"],
    ["NODE_ENV", "staging"],
  ])("refuses %s=%j, naming it", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(`Invalid environment:[\\s\\S]*${name}`));
  });

  it("reads a mail lease in seconds (tests shorten it) and refuses one under 2 s", () => {
    expect(parseEnv({ GATEHOUSE_MAIL_LEASE_SECONDS: "5" }).GATEHOUSE_MAIL_LEASE_SECONDS).toBe(5);
    expect(parseEnv({}).GATEHOUSE_MAIL_LEASE_SECONDS).toBeUndefined();
    expect(() => parseEnv({ GATEHOUSE_MAIL_LEASE_SECONDS: "1" })).toThrow(/GATEHOUSE_MAIL_LEASE_SECONDS/);
  });

  it("lists every bad variable at once", () => {
    let message = "";
    try {
      parseEnv({ PORT: "abc", DATABASE_URL: "mysql://x" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("PORT");
    expect(message).toContain("DATABASE_URL");
  });
});

describe("parseEnv: empty and odd values", () => {
  it("treats empty variables as unset", () => {
    const env = parseEnv({ PORT: "", DATABASE_URL: "", PUBLIC_URL: "", GATEHOUSE_BOOTSTRAP_API_KEY: "" });
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PUBLIC_URL).toBe("http://localhost:3000");
    expect(env.GATEHOUSE_BOOTSTRAP_API_KEY).toBeUndefined();
  });

  it("refuses a PUBLIC_URL with a query or fragment (it becomes every token's issuer)", () => {
    expect(() => parseEnv({ PUBLIC_URL: "https://login.example.com/?x=1" })).toThrow(/PUBLIC_URL/);
    expect(() => parseEnv({ PUBLIC_URL: "https://login.example.com/#x" })).toThrow(/PUBLIC_URL/);
  });
});
