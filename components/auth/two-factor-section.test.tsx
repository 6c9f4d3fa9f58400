import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MessagesProvider } from "@/components/i18n/messages-provider";
import { en } from "@/lib/i18n/messages/en";
import type { TwoFactorSectionView } from "@/lib/pages/profile";
import { TwoFactorSection } from "./two-factor-section";

const off: TwoFactorSectionView = {
  enabled: false,
  since: null,
  sinceText: null,
  recoveryCodesLeft: 0,
  recent: false,
  recentUntil: null,
  recentUntilText: null,
  pending: null,
  requiredByRealm: false,
  reauth: { method: "password", loginUrl: "/acme/login?return_to=profile&prompt=login" },
};

/** The section as the server renders it (and as a browser without JavaScript gets it). */
function render(view: TwoFactorSectionView) {
  return renderToStaticMarkup(
    <MessagesProvider messages={en}>
      <TwoFactorSection
        action={async (state) => state}
        hidden={{ csrf: "t" }}
        view={view}
        realmName="Acme"
        email="ada@example.com"
      />
    </MessagesProvider>,
  );
}

/** The whole `<input …>` tag with this id (fails the test when there is none). */
function inputTag(html: string, id: string): string {
  const tag = html.match(new RegExp(`<input[^>]*\\bid="${id}"[^>]*>`))?.[0];
  if (!tag) throw new Error(`no input #${id}`);
  return tag;
}

// A real session cannot be made 15 minutes old in the e2e suite; this shows what it then gets.
describe("the two-step verification section without a recent password", () => {
  it("asks for the password first and offers no change", () => {
    const html = render(off);
    expect(html).toContain("To change two-step verification, confirm your password.");
    expect(html).toMatch(/<input[^>]*name="intent" value="confirm_password"/);
    const password = inputTag(html, "mfa_current_password");
    expect(password).toContain('type="password"');
    expect(password).toContain('autoComplete="current-password"');
    expect(password).toContain('name="current_password"');
    expect(html).toContain('<label data-slot="label" for="mfa_current_password">Current password</label>');
    expect(html).not.toContain("Set up two-step verification");
    expect(html).not.toContain('value="begin"');
  });

  it("with 2FA on, still shows the status but neither new codes nor turning off", () => {
    const html = render({ ...off, enabled: true, sinceText: "1 Dec 2026, 10:00 UTC", recoveryCodesLeft: 2 });
    expect(html).toContain("Two-step verification is on since 1 Dec 2026, 10:00 UTC.");
    expect(html).toContain("You have only 2 recovery codes left.");
    expect(html).toContain('value="confirm_password"');
    expect(html).not.toContain('value="disable"');
    expect(html).not.toContain('value="regenerate"');
  });

  it("with a recent password and 2FA on: new codes and turning off, with a code field for phones", () => {
    const html = render({
      ...off,
      enabled: true,
      recent: true,
      recoveryCodesLeft: 10,
      requiredByRealm: true,
    });
    expect(html).not.toContain('value="confirm_password"');
    expect(html).toContain('value="regenerate"');
    expect(html).toContain('value="disable"');
    const code = inputTag(html, "mfa_disable_code");
    expect(code).toContain('autoComplete="one-time-code"');
    expect(code).toContain('inputMode="numeric"');
    expect(html).toContain("Acme requires two-step verification");
  });
});

describe("the two-step verification section for a user without a usable password", () => {
  it("offers signing in again instead of a password form", () => {
    const html = render({ ...off, reauth: { ...off.reauth, method: "login" } });
    expect(html).not.toContain('value="confirm_password"');
    expect(html).not.toContain("mfa_current_password");
    expect(html).toContain("sign in again to make these changes");
    expect(html).toContain('href="/acme/login?return_to=profile&amp;prompt=login"');
    expect(html).toContain("Sign in again to continue");
    expect(html).not.toContain('value="begin"');
  });
});
