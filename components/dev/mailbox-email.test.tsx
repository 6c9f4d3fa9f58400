import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { textWithLinks } from "@/lib/email/dev-mailbox";
import { messagesFor, translator } from "@/lib/i18n";
import type { DevMailboxEmailPage } from "@/lib/pages/dev-mailbox";
import { MailboxEmail } from "./mailbox-email";

const hostile = `<p>Hi</p><script>parent.document.title = "pwned"</script><img src=x onerror="alert(1)">"'><iframe src="javascript:alert(2)"></iframe>`;

const page: Extract<DevMailboxEmailPage, { kind: "email" }> = {
  kind: "email",
  messages: messagesFor("en"),
  row: {
    href: "/dev/mailbox/rl_1/em_1",
    createdAt: "2030-01-01T00:00:00.000Z",
    createdText: "2030-01-01 00:00:00 UTC",
    realm: "acme",
    to: "ada@example.com",
    subject: "Reset your password",
    status: "sent",
    attempts: 1,
    lastError: null,
  },
  from: "Acme <no-reply@acme.example>",
  template: "password_reset",
  sentText: "2030-01-01 00:00:01 UTC",
  text: textWithLinks(
    "Choose a new one: https://id.example/acme/reset?token=abc&redirect_uri=x\n<b>not html</b>",
  ),
  html: hostile,
  attempts: [],
};

describe("an email in the development mailbox", () => {
  const markup = renderToStaticMarkup(<MailboxEmail t={translator(messagesFor("en"))} page={page} />);

  it("frames the HTML in a sandbox without scripts, as an escaped srcdoc, never as markup of the page", () => {
    const frames = markup.match(/<iframe[^>]*>/g) ?? [];
    expect(frames).toHaveLength(1);
    expect(frames[0]).toContain('sandbox=""');
    expect(frames[0]).not.toMatch(/allow-/);
    expect(frames[0]).toMatch(/ srcdoc="/i);
    // The email's tags exist only inside the attribute, escaped.
    expect(markup).not.toContain("<script>");
    expect(markup).not.toContain("<img");
    expect(markup).toContain("&lt;script&gt;");
  });

  it("shows the text body as text, with its links clickable", () => {
    expect(markup).toContain(
      '<a href="https://id.example/acme/reset?token=abc&amp;redirect_uri=x" rel="noreferrer">',
    );
    expect(markup).toContain("&lt;b&gt;not html&lt;/b&gt;");
  });
});
