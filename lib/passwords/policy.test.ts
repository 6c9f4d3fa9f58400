import { describe, expect, it } from "vitest";
import { readSettings } from "@/lib/realms/settings";
import { newPasswordSchema } from "@/lib/users/fields";
import {
  checkPasswordPolicy,
  IDENTIFIER_MIN_LENGTH,
  needsStrengthEstimator,
  type PasswordIdentity,
  type PasswordPolicy,
  passwordPolicyOf,
  type StrengthEstimator,
} from "./policy";
import { STRENGTH_ANALYSED_LENGTH, strengthEstimator } from "./strength";

/** The defaults of DESIGN section 7: 8–256 characters, score ≥ 2, blocklist on, no classes. */
const defaults: PasswordPolicy = passwordPolicyOf({
  name: "Acme Portal",
  slug: "acme",
  settings: readSettings({}),
});

const real = strengthEstimator();
const alice: PasswordIdentity = { email: "alice.smith@example.com", firstName: "Alice", lastName: "Smith" };

function codes(
  password: string,
  policy: Partial<PasswordPolicy> = {},
  identity: PasswordIdentity = alice,
  estimator: StrengthEstimator | null = real,
) {
  return checkPasswordPolicy({ policy: { ...defaults, ...policy }, password, identity, estimator }).map(
    (e) => e.code,
  );
}

/** A fake zxcvbn: a fixed score, nothing common, and a record of what it was asked. */
function fakeEstimator(score: number, common: string[] = []) {
  const calls: Array<{ password: string; userInputs: readonly string[] }> = [];
  const estimator: StrengthEstimator = {
    score(password, userInputs) {
      calls.push({ password, userInputs });
      return score;
    },
    isCommon: (password) => common.includes(password.toLowerCase()),
  };
  return { estimator, calls };
}

describe("passwordPolicyOf", () => {
  it("reads the realm's settings, with the realm's name and slug as site words", () => {
    expect(defaults).toEqual({
      minLength: 8,
      maxLength: 256,
      strengthMin: 2,
      requiredClasses: [],
      blocklist: true,
      siteWords: ["Acme Portal", "acme"],
    });
    const strict = passwordPolicyOf({
      name: "X",
      slug: "x",
      settings: readSettings({
        password_min_length: 12,
        password_max_length: 64,
        password_strength_min: 0,
        password_required_classes: ["digit", "upper"],
        password_blocklist: false,
      }),
    });
    expect(strict).toMatchObject({
      minLength: 12,
      maxLength: 64,
      strengthMin: 0,
      requiredClasses: ["digit", "upper"],
      blocklist: false,
    });
    expect(needsStrengthEstimator(strict)).toBe(false);
    expect(needsStrengthEstimator({ ...strict, blocklist: true })).toBe(true);
    expect(needsStrengthEstimator({ ...strict, strengthMin: 1 })).toBe(true);
  });
});

describe("checkPasswordPolicy", () => {
  it("accepts a good password under the default policy", () => {
    expect(codes("correct horse battery staple")).toEqual([]);
    expect(codes("lantern-orbit-2718")).toEqual([]);
  });

  it("an empty password is only 'required', whatever else the policy asks", () => {
    const all: Partial<PasswordPolicy> = { requiredClasses: ["lower", "upper", "digit", "symbol"] };
    expect(
      checkPasswordPolicy({
        policy: { ...defaults, ...all },
        password: "",
        identity: alice,
        estimator: real,
      }),
    ).toEqual([{ field: "password", code: "field.required" }]);
  });

  describe("length", () => {
    it("refuses under the minimum and over the maximum, with the limit as a parameter", () => {
      const policy = { ...defaults, minLength: 12, maxLength: 20, strengthMin: 0, blocklist: false };
      const check = (password: string) =>
        checkPasswordPolicy({ policy, password, identity: {}, estimator: null });
      expect(check("x".repeat(11))).toEqual([
        { field: "password", code: "password.too_short", params: { min: 12 } },
      ]);
      expect(check("x".repeat(12))).toEqual([]);
      expect(check("x".repeat(20))).toEqual([]);
      expect(check("x".repeat(21))).toEqual([
        { field: "password", code: "password.too_long", params: { max: 20 } },
      ]);
    });

    it("counts length exactly as the zod schema does, so the two never disagree", () => {
      const policy = { ...defaults, minLength: 8, maxLength: 10, strengthMin: 0, blocklist: false };
      const schema = newPasswordSchema({ min: 8, max: 10 });
      // An emoji is one character (two UTF-16 units), a combining mark one of its own, a lone
      // surrogate one: the edge cases of "characters".
      const cases = [
        "😀".repeat(7),
        "😀".repeat(8),
        "😀".repeat(10),
        "😀".repeat(11),
        "é".normalize("NFD").repeat(4),
      ];
      for (const password of [...cases, "\ud83dabcdefg", "\ud83d".repeat(11), "abcdefghij"]) {
        const policyCodes = checkPasswordPolicy({ policy, password, identity: {}, estimator: null }).map(
          (e) => e.code,
        );
        const zodCodes = (schema.safeParse(password).error?.issues ?? []).map((i) => i.message);
        expect(policyCodes, password).toEqual(zodCodes);
      }
    });

    it("spends no estimator work on a password over the maximum", () => {
      const { estimator, calls } = fakeEstimator(0);
      const errors = checkPasswordPolicy({
        policy: { ...defaults, maxLength: 64 },
        password: "a".repeat(65),
        identity: alice,
        estimator,
      });
      expect(errors.map((e) => e.code)).toEqual(["password.too_long"]);
      expect(calls).toEqual([]);
    });
  });

  describe("character classes", () => {
    const only = (requiredClasses: PasswordPolicy["requiredClasses"]) => ({
      requiredClasses,
      strengthMin: 0,
      blocklist: false,
    });

    it.each([
      ["lower", "ABCDEFGH1!", "password.missing_lower"],
      ["upper", "abcdefgh1!", "password.missing_upper"],
      ["digit", "abcdefgH!x", "password.missing_digit"],
      ["symbol", "abcdefgH1x", "password.missing_symbol"],
    ] as const)("requires a %s character when asked", (cls, without, code) => {
      expect(codes(without, only([cls]), {})).toEqual([code]);
      expect(codes(without, only([]), {})).toEqual([]);
    });

    it("recognises classes beyond ASCII; a space counts as a symbol", () => {
      const all = only(["lower", "upper", "digit", "symbol"]);
      expect(codes("ÄÖÜéèà٣ ", all, {})).toEqual([]);
      expect(codes("ÄÖÜÉÈÀ٣x", all, {})).toEqual(["password.missing_symbol"]);
      expect(codes("äöüéèà ٣", all, {})).toEqual(["password.missing_upper"]);
    });

    it("lists missing classes in a fixed order, whatever order the realm stored", () => {
      expect(codes("--------", only(["symbol", "digit", "upper", "lower"]), {})).toEqual([
        "password.missing_lower",
        "password.missing_upper",
        "password.missing_digit",
      ]);
    });
  });

  describe("blocklist", () => {
    it("refuses an exact match in the common-password dictionary, in any case or width", () => {
      expect(codes("iloveyou123")).toContain("password.too_common");
      expect(codes("password1")).toEqual(["password.too_common"]);
      expect(codes("PassWord1")).toEqual(["password.too_common"]);
      expect(codes("ｐａｓｓｗｏｒｄ１")).toEqual(["password.too_common"]);
    });

    it("leaves near variants to the strength score", () => {
      // Not in the list as such, but zxcvbn sees the dictionary word with a capital and a suffix.
      expect(codes("Password1!")).toEqual(["password.too_weak"]);
      expect(codes("Password1!", { strengthMin: 0 })).toEqual([]);
    });

    it("is off when the realm turns it off; the strength rule then speaks", () => {
      expect(codes("password1", { blocklist: false })).toEqual(["password.too_weak"]);
      expect(codes("password1", { blocklist: false, strengthMin: 0 })).toEqual([]);
    });
  });

  describe("identifiers", () => {
    it("refuses the whole email address in any case or Unicode width", () => {
      const identity = { email: "Bo@Example.com" };
      expect(codes("my bo@example.com key!", {}, identity)).toContain("password.contains_identifier");
      expect(codes("my BO@EXAMPLE.COM key!", {}, identity)).toContain("password.contains_identifier");
      expect(codes("my ｂｏ＠ｅｘａｍｐｌｅ．ｃｏｍ key!", {}, identity)).toContain(
        "password.contains_identifier",
      );
    });

    it(`refuses the local part from ${IDENTIFIER_MIN_LENGTH} characters on`, () => {
      expect(codes("Alice.Smith-lantern-42")).toEqual(["password.contains_identifier"]);
      const four = { email: "anna@example.com" };
      expect(codes("hello-ANNA-lantern-42", {}, four)).toEqual(["password.contains_identifier"]);
      const three = { email: "bob@example.com" };
      expect(codes("bobcat-lantern-orbit-42", {}, three)).toEqual([]);
    });

    it(`refuses the username from ${IDENTIFIER_MIN_LENGTH} characters on`, () => {
      expect(codes("lantern-Grace_H-orbit", {}, { username: "grace_h" })).toEqual([
        "password.contains_identifier",
      ]);
      expect(codes("lantern-gh7-orbit-42", {}, { username: "gh7" })).toEqual([]);
    });

    it("does not refuse names outright, but hands them to zxcvbn with the other known words", () => {
      const { estimator, calls } = fakeEstimator(4);
      const errors = checkPasswordPolicy({
        policy: defaults,
        password: "Alice-lantern-orbit",
        identity: { ...alice, username: "asmith" },
        estimator,
      });
      expect(errors).toEqual([]);
      expect(calls).toHaveLength(1);
      expect([...(calls[0]?.userInputs ?? [])].sort()).toEqual(
        ["alice.smith@example.com", "alice.smith", "alice", "smith", "asmith", "acme portal", "acme"].sort(),
      );
    });
  });

  describe("strength", () => {
    it("refuses a score under the realm's minimum, naming the minimum", () => {
      expect(
        checkPasswordPolicy({
          policy: { ...defaults, strengthMin: 3 },
          password: "lantern12",
          identity: alice,
          estimator: fakeEstimator(2).estimator,
        }),
      ).toEqual([{ field: "password", code: "password.too_weak", params: { min: 3 } }]);
      expect(
        checkPasswordPolicy({
          policy: { ...defaults, strengthMin: 3 },
          password: "lantern12",
          identity: alice,
          estimator: fakeEstimator(3).estimator,
        }),
      ).toEqual([]);
    });

    it("never asks the estimator when the threshold is 0", () => {
      const { estimator, calls } = fakeEstimator(0);
      checkPasswordPolicy({
        policy: { ...defaults, strengthMin: 0 },
        password: "aaaaaaaa",
        identity: {},
        estimator,
      });
      expect(calls).toEqual([]);
    });

    it("a password built on the realm's own name scores lower than the same shape without it", () => {
      const policy = { ...defaults, strengthMin: 3, blocklist: false };
      const siteWords = ["Gatehouse Harbour", "gatehouseharbour"];
      expect(codes("gatehouseharbour1", { ...policy, siteWords }, {})).toEqual(["password.too_weak"]);
    });

    it("without an estimator (the browser before zxcvbn loads) skips blocklist and strength only", () => {
      expect(codes("password", { minLength: 12 }, alice, null)).toEqual(["password.too_short"]);
    });
  });

  it("reports every failing rule at once, in a stable order", () => {
    const policy: Partial<PasswordPolicy> = {
      minLength: 12,
      requiredClasses: ["lower", "upper", "digit", "symbol"],
    };
    // Common, short, no capital/digit/symbol, and the user's own local part.
    expect(codes("password", policy, { email: "password@example.com" })).toEqual([
      "password.too_short",
      "password.missing_upper",
      "password.missing_digit",
      "password.missing_symbol",
      "password.too_common",
      "password.contains_identifier",
    ]);
    // Not common but weak: then the strength rule joins in.
    expect(codes("aaaaaaa", policy, {})).toEqual([
      "password.too_short",
      "password.missing_upper",
      "password.missing_digit",
      "password.missing_symbol",
      "password.too_weak",
    ]);
  });

  it("names the field it is asked to", () => {
    const errors = checkPasswordPolicy({
      policy: defaults,
      password: "password",
      identity: {},
      estimator: real,
      field: "new_password",
    });
    expect(errors).toEqual([{ field: "new_password", code: "password.too_common" }]);
  });
});

describe("strengthEstimator", () => {
  it("is built once", () => {
    expect(strengthEstimator()).toBe(real);
  });

  it("scores only the first characters, so adversarial long inputs stay cheap", () => {
    // With zxcvbn's defaults each of these costs seconds of CPU on the event loop.
    const inputs = [
      "4815162342".repeat(100),
      "p@55w0rd".repeat(128),
      "4@8(63#1!|1|0953$5+7+%2".repeat(40),
      "19901231".repeat(128),
    ];
    const started = performance.now();
    for (const input of inputs) real.score(input, []);
    expect(performance.now() - started).toBeLessThan(2000);
    // A strong prefix is judged strong however weak the tail.
    const strongPrefix = `${"Zq8#lantern-orbit-kettle-7Wx!".padEnd(STRENGTH_ANALYSED_LENGTH, "v")}${"a".repeat(100)}`;
    expect(real.score(strongPrefix, [])).toBe(4);
  });

  it("exact common-password matches only", () => {
    expect(real.isCommon("qwerty123")).toBe(true);
    expect(real.isCommon("QWERTY123")).toBe(true);
    expect(real.isCommon("qwerty123 lantern")).toBe(false);
  });
});
