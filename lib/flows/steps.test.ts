import { describe, expect, it } from "vitest";
import { pendingSteps, type StepFacts, sessionLacksSecondFactor } from "./steps";

const none: StepFacts = {
  amr: ["pwd"],
  passwordChange: false,
  emailUnverified: false,
  profileIncomplete: false,
  mfaEnabled: false,
  mfaRequired: false,
};

describe("the login's pending steps", () => {
  it("owes nothing for a plain password login", () => {
    expect(pendingSteps(none)).toEqual([]);
  });

  it("puts the second factor first, before any other step", () => {
    expect(pendingSteps({ ...none, mfaEnabled: true, passwordChange: true, emailUnverified: true })).toEqual([
      "second_factor",
      "change_password",
      "verify_email",
    ]);
  });

  it("owes no second factor once the flow has proven one", () => {
    expect(pendingSteps({ ...none, amr: ["pwd", "otp"], mfaEnabled: true, passwordChange: true })).toEqual([
      "change_password",
    ]);
    expect(pendingSteps({ ...none, amr: ["pwd", "otp", "rc"], mfaEnabled: true, mfaRequired: true })).toEqual(
      [],
    );
  });

  it("puts enrolment last, only when the policy requires a second factor the user lacks", () => {
    expect(pendingSteps({ ...none, mfaRequired: true, passwordChange: true, emailUnverified: true })).toEqual(
      ["change_password", "verify_email", "enrol_second_factor"],
    );
    expect(pendingSteps({ ...none, mfaRequired: true, mfaEnabled: true })).toEqual(["second_factor"]);
    // Optional policy: a user with an app still passes it; one without owes nothing.
    expect(pendingSteps({ ...none, mfaEnabled: true })).toEqual(["second_factor"]);
  });

  it("asks for missing profile fields after the address and before enrolment", () => {
    expect(pendingSteps({ ...none, profileIncomplete: true })).toEqual(["complete_profile"]);
    expect(
      pendingSteps({
        ...none,
        mfaEnabled: false,
        mfaRequired: true,
        passwordChange: true,
        emailUnverified: true,
        profileIncomplete: true,
      }),
    ).toEqual(["change_password", "verify_email", "complete_profile", "enrol_second_factor"]);
    expect(pendingSteps({ ...none, mfaEnabled: true, profileIncomplete: true })).toEqual([
      "second_factor",
      "complete_profile",
    ]);
  });

  it("refuses seamless tokens to sessions without a second factor the user has or must have", () => {
    expect(sessionLacksSecondFactor(["pwd"], { mfaEnabled: false, mfaRequired: false })).toBe(false);
    expect(sessionLacksSecondFactor(["pwd"], { mfaEnabled: true, mfaRequired: false })).toBe(true);
    expect(sessionLacksSecondFactor(["pwd"], { mfaEnabled: false, mfaRequired: true })).toBe(true);
    expect(sessionLacksSecondFactor(["pwd", "otp"], { mfaEnabled: true, mfaRequired: true })).toBe(false);
  });
});
