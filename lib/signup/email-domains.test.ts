import { describe, expect, it } from "vitest";
import { domainMatches, emailDomain, isEmailDomainAllowed } from "./email-domains";

describe("emailDomain", () => {
  it("is what follows the last @, lower case, without a trailing dot", () => {
    expect(emailDomain("ann@example.com")).toBe("example.com");
    expect(emailDomain('"a@b"@Mail.Example.org')).toBe("mail.example.org");
    expect(emailDomain("ann@example.com.")).toBe("example.com");
  });
});

describe("domainMatches", () => {
  it("matches the domain itself and its subdomains, case-insensitively", () => {
    expect(domainMatches("example.com", "example.com")).toBe(true);
    expect(domainMatches("mail.example.com", "example.com")).toBe(true);
    expect(domainMatches("a.b.example.com", "Example.COM")).toBe(true);
  });

  it("does not match look-alikes that merely end with the same letters", () => {
    expect(domainMatches("badexample.com", "example.com")).toBe(false);
    expect(domainMatches("example.com.evil.org", "example.com")).toBe(false);
    expect(domainMatches("example.co", "example.com")).toBe(false);
    expect(domainMatches("com", "example.com")).toBe(false);
    expect(domainMatches("example.com", "")).toBe(false);
  });
});

describe("isEmailDomainAllowed", () => {
  const none = { allow: [], deny: [] };

  it("allows everyone when both lists are empty", () => {
    expect(isEmailDomainAllowed("ann@anything.example", none)).toBe(true);
  });

  it("with an allow list, allows only its domains and their subdomains", () => {
    const lists = { allow: ["acme.com", "acme.org"], deny: [] };
    expect(isEmailDomainAllowed("ann@acme.com", lists)).toBe(true);
    expect(isEmailDomainAllowed("ann@eu.acme.org", lists)).toBe(true);
    expect(isEmailDomainAllowed("ann@gmail.com", lists)).toBe(false);
    expect(isEmailDomainAllowed("ann@notacme.com", lists)).toBe(false);
  });

  it("refuses denied domains and their subdomains", () => {
    const lists = { allow: [], deny: ["mailinator.com"] };
    expect(isEmailDomainAllowed("bot@mailinator.com", lists)).toBe(false);
    expect(isEmailDomainAllowed("bot@x.mailinator.com", lists)).toBe(false);
    expect(isEmailDomainAllowed("ann@example.com", lists)).toBe(true);
  });

  it("lets a deny entry carve a subdomain out of an allowed domain", () => {
    const lists = { allow: ["acme.com"], deny: ["guests.acme.com"] };
    expect(isEmailDomainAllowed("ann@acme.com", lists)).toBe(true);
    expect(isEmailDomainAllowed("visitor@guests.acme.com", lists)).toBe(false);
    expect(isEmailDomainAllowed("visitor@x.guests.acme.com", lists)).toBe(false);
  });
});
