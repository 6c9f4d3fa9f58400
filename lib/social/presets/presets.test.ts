import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import type { RawProfile } from "../types";
import facebookSamples from "./fixtures/facebook.json";
import githubSamples from "./fixtures/github.json";
import googleSamples from "./fixtures/google.json";
import linkedinSamples from "./fixtures/linkedin.json";
import slackSamples from "./fixtures/slack.json";
import yahooSamples from "./fixtures/yahoo.json";
import { presets } from "./index";

const raw = (sample: unknown) => sample as RawProfile;

function refused(run: () => unknown) {
  try {
    run();
  } catch (error) {
    return isAppError(error) ? error.code : error;
  }
  return "accepted";
}

describe("preset protocols", () => {
  it("use https endpoints and issuers only, and OpenID Connect ones ask for openid", () => {
    for (const preset of Object.values(presets)) {
      const p = preset.protocol;
      for (const url of [
        p.issuer,
        p.authorizationEndpoint,
        p.tokenEndpoint,
        p.userinfoEndpoint,
        ...Object.values(p.extraResources ?? {}),
      ].filter(Boolean))
        expect(url, preset.kind).toMatch(/^https:\/\/[a-z0-9.-]+(\/|$)/);
      if (p.protocol === "oidc") {
        expect(p.issuer, preset.kind).toBeDefined();
        expect(p.scopes, preset.kind).toContain("openid");
      } else {
        expect([p.authorizationEndpoint, p.tokenEndpoint, p.userinfoEndpoint], preset.kind).not.toContain(
          undefined,
        );
      }
    }
  });

  it("name the documented issuers", () => {
    expect(presets.google.protocol.issuer).toBe("https://accounts.google.com");
    expect(presets.linkedin.protocol.issuer).toBe("https://www.linkedin.com/oauth");
    expect(presets.slack.protocol.issuer).toBe("https://slack.com");
    expect(presets.yahoo.protocol.issuer).toBe("https://api.login.yahoo.com");
    expect(presets.linkedin.protocol.scopes).toEqual(["openid", "profile", "email"]);
  });

  it("GitHub sends a User-Agent with its API requests and reads /user/emails", () => {
    expect(presets.github.protocol.resourceHeaders?.["user-agent"]).toBeTruthy();
    expect(presets.github.protocol.extraResources).toEqual({ emails: "https://api.github.com/user/emails" });
  });

  it("Facebook reads the fields it maps, from a versioned Graph endpoint", () => {
    const userinfo = new URL(presets.facebook.protocol.userinfoEndpoint ?? "");
    expect(userinfo.pathname).toMatch(/^\/v\d+\.\d+\/me$/);
    expect(userinfo.searchParams.get("fields")).toBe("id,email,first_name,last_name");
  });
});

describe("Google", () => {
  const map = presets.google.mapProfile;

  it("maps a verified Workspace account: sub from the ID token, names from the userinfo", () => {
    expect(map(raw(googleSamples.verified))).toEqual({
      subject: "10769150350006150715113082367",
      email: "jsmith@example.com",
      emailVerified: true,
      firstName: "Jane",
      lastName: "Smith",
    });
  });

  it("keeps an unverified address unverified", () => {
    expect(map(raw(googleSamples.unverified))).toEqual({
      subject: "110248495921238986420",
      email: "someone@outlook.example",
      emailVerified: false,
      firstName: "Someone",
      lastName: "Else",
    });
  });

  it("without the email scope: no address, one-word name as the first name", () => {
    expect(map(raw(googleSamples.no_email_scope))).toEqual({
      subject: "110248495921238986421",
      email: null,
      emailVerified: false,
      firstName: "Prince",
      lastName: null,
    });
  });

  it("refuses an ID token without a subject, even when the userinfo has one", () => {
    const { sub: _sub, ...idToken } = googleSamples.verified.idToken;
    expect(refused(() => map({ ...raw(googleSamples.verified), idToken }))).toBe("social.profile_invalid");
  });
});

describe("GitHub", () => {
  const map = presets.github.mapProfile;

  it("takes the verified primary address from /user/emails and the numeric id as text", () => {
    expect(map(raw(githubSamples.verified_primary))).toEqual({
      subject: "583231",
      email: "mona.octocat@example.com",
      emailVerified: true,
      firstName: "The",
      lastName: "Octocat",
    });
  });

  it("an unverified primary address is not vouched for, though a noreply address is verified", () => {
    expect(map(raw(githubSamples.unverified_primary))).toEqual({
      subject: "98765432",
      email: "newcomer@example.com",
      emailVerified: false,
      firstName: null,
      lastName: null,
    });
  });

  it("without /user/emails the public address is known but not verified", () => {
    expect(map(raw(githubSamples.emails_not_shared))).toMatchObject({
      subject: "1234567",
      email: "grace@example.com",
      emailVerified: false,
      firstName: "Grace",
    });
  });

  it("refuses a profile without a usable id", () => {
    const sample = githubSamples.verified_primary;
    for (const id of [undefined, null, "", 1.5, -1, {}, ["583231"], true])
      expect(
        refused(() => map({ ...raw(sample), userinfo: { ...sample.userinfo, id } })),
        String(id),
      ).toBe("social.profile_invalid");
    // An error body instead of a user (a revoked token that slipped through).
    expect(refused(() => map({ userinfo: { message: "Bad credentials" }, extra: {} }))).toBe(
      "social.profile_invalid",
    );
  });

  it("a verified flag that is not the boolean true does not count", () => {
    const sample = githubSamples.verified_primary;
    const emails = [{ email: "x@example.com", primary: true, verified: "true" }];
    expect(map({ ...raw(sample), extra: { emails } }).emailVerified).toBe(false);
    expect(map({ ...raw(sample), extra: { emails: { not: "a list" } } })).toMatchObject({
      email: "octocat@github.com",
      emailVerified: false,
    });
  });
});

describe("Facebook", () => {
  const map = presets.facebook.mapProfile;

  it("maps the Graph profile; the address is never taken as verified", () => {
    expect(map(raw(facebookSamples.with_email))).toEqual({
      subject: "10158291234567890",
      email: "jane.doe@example.com",
      emailVerified: false,
      firstName: "Jane",
      lastName: "Doe",
    });
  });

  it("an account without an address (phone signup) has none", () => {
    expect(map(raw(facebookSamples.phone_signup_no_email))).toEqual({
      subject: "122101234567890123",
      email: null,
      emailVerified: false,
      firstName: "Kofi",
      lastName: "Mensah",
    });
  });
});

describe("LinkedIn", () => {
  const map = presets.linkedin.mapProfile;

  it("maps the OpenID Connect claims", () => {
    expect(map(raw(linkedinSamples.verified))).toEqual({
      subject: "782bbtaQ",
      email: "doe@email.com",
      emailVerified: true,
      firstName: "John",
      lastName: "Doe",
    });
  });

  it("keeps an unverified address unverified", () => {
    expect(map(raw(linkedinSamples.unverified))).toMatchObject({
      subject: "9Xk2pQ7r",
      email: "new.member@example.org",
      emailVerified: false,
    });
  });
});

describe("Slack", () => {
  it("maps the claims; the userinfo's names complete the ID token's empty ones", () => {
    expect(presets.slack.mapProfile(raw(slackSamples.verified))).toEqual({
      subject: "U0R7JM",
      email: "krane@slack-corp.com",
      emailVerified: true,
      firstName: "Bront",
      lastName: "Labradoodle",
    });
  });
});

describe("Yahoo", () => {
  const map = presets.yahoo.mapProfile;

  it("takes email and names from the userinfo when the ID token has only the subject", () => {
    expect(map(raw(yahooSamples.verified))).toEqual({
      subject: "FSVIDUW3D7FSVIDUW3D72F2F",
      email: "janedoe@yahoo.com",
      emailVerified: true,
      firstName: "Jane",
      lastName: "Doe",
    });
  });

  it('a string "true" is not a verified flag (Yahoo documents a boolean)', () => {
    expect(map(raw(yahooSamples.string_flag))).toMatchObject({
      email: "other@yahoo.com",
      emailVerified: false,
    });
  });
});
