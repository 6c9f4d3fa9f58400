import { describe, expect, it } from "vitest";
import { TEMPLATE_LIMITS } from "@/lib/email/templates";
import { EMAIL_TEMPLATE_BODY_BYTES } from "./email-templates";

describe("the body limit of PUT and preview of email templates", () => {
  it("takes both parts at their limits even when JSON escaping doubles them", () => {
    const html = '"'.repeat(TEMPLATE_LIMITS.htmlBytes);
    const text = "\n".repeat(TEMPLATE_LIMITS.textBytes);
    const body = JSON.stringify({ subject: "s".repeat(TEMPLATE_LIMITS.subjectChars), html, text });
    expect(Buffer.byteLength(body)).toBeLessThan(EMAIL_TEMPLATE_BODY_BYTES);
  });
});
