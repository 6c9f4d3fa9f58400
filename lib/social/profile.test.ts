import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { emailSchema } from "@/lib/users/fields";
import { normalizeIdentifier } from "@/lib/users/normalize";
import {
  emailOf,
  mapOidcClaims,
  mapWithFieldMapping,
  readPath,
  splitName,
  subjectOf,
  verifiedFlag,
} from "./profile";

const code = (run: () => unknown) => {
  try {
    run();
    return "accepted";
  } catch (error) {
    return isAppError(error) ? error.code : String(error);
  }
};

describe("profile readers", () => {
  it("subjects: non-empty strings as they are, non-negative integers as text, anything else refused", () => {
    expect(subjectOf("abc")).toBe("abc");
    expect(subjectOf(42)).toBe("42");
    expect(subjectOf(0)).toBe("0");
    for (const bad of [
      "",
      " ",
      " abc",
      "x".repeat(256),
      1.5,
      -3,
      Number.NaN,
      2 ** 60,
      null,
      undefined,
      {},
      [],
    ])
      expect(
        code(() => subjectOf(bad)),
        String(bad),
      ).toBe("social.profile_invalid");
  });

  it("emails: trimmed, lower-cased, NFKC; not an address: null", () => {
    expect(emailOf("  Ada@Example.COM ")).toBe("ada@example.com");
    expect(emailOf("ａｄａ@example.com")).toBe("ada@example.com");
    for (const bad of ["", "ada", "a b@example.com", 42, null, ["a@b.c"], `${"a".repeat(250)}@b.cd`])
      expect(emailOf(bad), String(bad)).toBeNull();
  });

  it("a provider's address is normalised exactly like a stored user's (one function)", () => {
    // Full-width letters, a ligature (NFKC expands ﬁ to fi), upper case, surrounding spaces.
    for (const raw of [" ＦＩＮＮ@Example.COM ", "\uFB01nn@example.com"]) {
      const stored = emailSchema.parse(raw);
      expect(emailOf(raw), raw).toBe(stored);
      expect(stored).toBe(normalizeIdentifier(raw));
    }
    expect(emailOf("\uFB01nn@example.com")).toBe("finn@example.com");
  });

  it("verified only on the boolean true; the string only where allowed", () => {
    expect(verifiedFlag(true)).toBe(true);
    for (const no of [false, "true", 1, "yes", null, undefined]) expect(verifiedFlag(no)).toBe(false);
    expect(verifiedFlag("true", { acceptString: true })).toBe(true);
    expect(verifiedFlag("TRUE", { acceptString: true })).toBe(false);
  });

  it("splits a full name at the first space", () => {
    expect(splitName("Ada King  Lovelace")).toEqual({ firstName: "Ada", lastName: "King Lovelace" });
    expect(splitName("Cher")).toEqual({ firstName: "Cher", lastName: null });
    expect(splitName("  ")).toEqual({ firstName: null, lastName: null });
    expect(splitName(7)).toEqual({ firstName: null, lastName: null });
  });

  it("reads dotted paths through objects and arrays, never through the prototype", () => {
    const json = { data: { email: "a@b.c", list: [{ v: 1 }] } };
    expect(readPath(json, "data.email")).toBe("a@b.c");
    expect(readPath(json, "data.list.0.v")).toBe(1);
    expect(readPath(json, "data.missing.x")).toBeUndefined();
    expect(readPath(json, "__proto__")).toBeUndefined();
    expect(readPath(json, "data.constructor.name")).toBeUndefined();
    expect(readPath(json, "data.list.length")).toBeUndefined();
  });
});

describe("generic OpenID Connect mapping", () => {
  it("merges ID token and userinfo claims, the subject from the ID token", () => {
    expect(
      mapOidcClaims({
        idToken: { sub: "s-1", email: "Old@Example.com", email_verified: true },
        userinfo: { sub: "s-1", given_name: "Ada", family_name: "Lovelace" },
        extra: {},
      }),
    ).toEqual({
      subject: "s-1",
      email: "old@example.com",
      emailVerified: true,
      firstName: "Ada",
      lastName: "Lovelace",
    });
  });

  it("never pairs the userinfo's address with the ID token's verified flag", () => {
    expect(
      mapOidcClaims({
        idToken: { sub: "s-1", email: "first@example.com", email_verified: true },
        userinfo: { sub: "s-1", email: "other@example.com" },
        extra: {},
      }),
    ).toMatchObject({ email: "other@example.com", emailVerified: false });
    expect(
      mapOidcClaims({
        idToken: { sub: "s-1", email: "first@example.com", email_verified: true },
        userinfo: { sub: "s-1", email: "not an address", email_verified: false },
        extra: {},
      }),
    ).toMatchObject({ email: "first@example.com", emailVerified: true });
  });

  it("without an ID token (userinfo only) the userinfo's sub is the subject", () => {
    expect(mapOidcClaims({ userinfo: { sub: "u-9", name: "Grace Hopper" }, extra: {} })).toMatchObject({
      subject: "u-9",
      firstName: "Grace",
      lastName: "Hopper",
    });
  });

  it("a verified flag without a usable address means nothing", () => {
    expect(mapOidcClaims({ idToken: { sub: "s", email_verified: true }, extra: {} })).toMatchObject({
      email: null,
      emailVerified: false,
    });
  });
});

describe("generic OAuth 2.0 mapping", () => {
  const mapping = {
    id: "data.id",
    email: "data.contact.email",
    email_verified: "data.contact.verified",
    name: "data.display_name",
  };

  it("reads the configured paths; the full name is split when first and last are not mapped", () => {
    const userinfo = {
      data: { id: 31337, contact: { email: " Dev@Example.org", verified: true }, display_name: "Linus T" },
    };
    expect(mapWithFieldMapping({ userinfo, extra: {} }, mapping)).toEqual({
      subject: "31337",
      email: "dev@example.org",
      emailVerified: true,
      firstName: "Linus",
      lastName: "T",
    });
  });

  it("first and last names win over the full name; no email_verified path: unverified", () => {
    const userinfo = { uid: "abc", mail: "x@example.com", fn: "Ada", ln: "Lovelace", full: "Someone Else" };
    expect(
      mapWithFieldMapping(
        { userinfo, extra: {} },
        { id: "uid", email: "mail", first_name: "fn", last_name: "ln", name: "full" },
      ),
    ).toEqual({
      subject: "abc",
      email: "x@example.com",
      emailVerified: false,
      firstName: "Ada",
      lastName: "Lovelace",
    });
  });

  it("refuses a profile whose id path finds nothing usable", () => {
    expect(code(() => mapWithFieldMapping({ userinfo: { data: {} }, extra: {} }, mapping))).toBe(
      "social.profile_invalid",
    );
    expect(code(() => mapWithFieldMapping({ extra: {} }, mapping))).toBe("social.profile_invalid");
  });
});
