import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MessagesProvider } from "@/components/i18n/messages-provider";
import { en } from "@/lib/i18n/messages/en";
import type { LinkedAccountRow, LinkedAccountsView } from "@/lib/pages/profile";
import { LinkedAccounts } from "./linked-accounts";
import { SocialButtons } from "./social-buttons";

const row: LinkedAccountRow = {
  id: "idn_1",
  providerName: "GitHub",
  email: "ada@users.github.example",
  linkedAt: "2026-11-29T12:00:00.000Z",
  linkedText: "29 Nov 2026, 12:00 UTC",
  lastUsedAt: null,
  lastUsedText: null,
  removable: true,
};

const view: LinkedAccountsView = {
  accounts: [row],
  recent: true,
  reauth: { method: "password", loginUrl: "/acme/login?return_to=profile&prompt=login" },
};

function render(v: LinkedAccountsView) {
  return renderToStaticMarkup(
    <MessagesProvider messages={en}>
      <LinkedAccounts action={async (s) => s} hidden={{ csrf_token: "t" }} view={v} email="ada@example.com" />
    </MessagesProvider>,
  );
}

describe("the profile's linked accounts section", () => {
  it("lists each account with a named Remove button posting its id", () => {
    const html = render(view);
    expect(html).toContain("GitHub");
    expect(html).toContain("ada@users.github.example");
    expect(html).toContain('<time dateTime="2026-11-29T12:00:00.000Z">29 Nov 2026, 12:00 UTC</time>');
    expect(html).toContain("Not yet");
    expect(html).toMatch(/name="intent" value="unlink"/);
    expect(html).toMatch(/name="identity" value="idn_1"/);
    expect(html).toContain('aria-label="Remove the linked GitHub account"');
    expect(html).not.toContain("linked-reauth-form");
  });

  it("offers no Remove for the only way in", () => {
    const html = render({ ...view, accounts: [{ ...row, removable: false }] });
    expect(html).not.toContain('value="unlink"');
    expect(html).toContain("This is your only way to sign in");
  });

  it("asks for the password first, or to sign in again without one", () => {
    const password = render({ ...view, recent: false });
    expect(password).toContain('value="confirm_password"');
    expect(password).toContain('id="linked_current_password"');
    const login = render({ ...view, recent: false, reauth: { ...view.reauth, method: "login" } });
    expect(login).not.toContain("current_password");
    expect(login).toContain('href="/acme/login?return_to=profile&amp;prompt=login"');
  });

  it("says when nothing is linked", () => {
    expect(render({ ...view, accounts: [] })).toContain("No accounts from other providers are linked.");
  });
});

describe("the social buttons (stand-in for B's component)", () => {
  const html = (query: string) =>
    renderToStaticMarkup(
      <MessagesProvider messages={en}>
        <SocialButtons
          providers={[
            { slug: "google", displayName: "Google" },
            { slug: "gh", displayName: "GitHub" },
          ]}
          query={query}
        />
      </MessagesProvider>,
    );

  it("links each provider's start route, in the given order, with the entry parameters", () => {
    const out = html("client_id=app_1&state=s");
    expect(out.indexOf("Continue with Google")).toBeLessThan(out.indexOf("Continue with GitHub"));
    expect(out).toContain('href="login/social/gh?client_id=app_1&amp;state=s"');
    expect(html("")).toContain('href="login/social/google"');
  });
});
