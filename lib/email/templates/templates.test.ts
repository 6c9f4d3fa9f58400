import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readThemeTokens } from "@/lib/themes";
import { type RenderedEmail, TEMPLATE_NAMES, type TemplateName, type TemplateVars } from "./catalogue";
import { defaultTemplates } from "./defaults";
import { htmlLiquid, RENDER_LIMIT_MS, renderBounded, SEND_RENDER_LIMIT_MS } from "./engine";
import { renderParts } from "./templates";
import { TEMPLATE_LIMITS, templateErrors } from "./validate";
import {
  completeVars,
  documentedVariables,
  sampleVars,
  sparseVars,
  templateTheme,
  templateVariables,
} from "./variables";

const realm = { name: "Acme", url: "https://login.acme.test/acme" };
const now = new Date("2025-03-04T10:20:00Z");
const sample = (name: TemplateName = "password_reset") =>
  sampleVars(name, { realm, now, theme: templateTheme(readThemeTokens({})) });

/** The errors of a template whose other parts are the default's. */
function errorsOf(parts: Partial<RenderedEmail>, name: TemplateName = "password_reset") {
  return templateErrors({ ...defaultTemplates[name], ...parts }, sample(name));
}

/** The variables a sender passes (lib/email/mailer.ts), before the templates service completes them. */
function sent(name: TemplateName, vars: Partial<TemplateVars>): TemplateVars {
  const { theme } = sample(name);
  return completeVars(name, {
    user: {
      email: "grace@example.com",
      username: null,
      first_name: null,
      last_name: null,
      name: "grace@example.com",
    },
    realm,
    app: null,
    now: now.toISOString(),
    theme,
    ...vars,
  });
}

describe("the bundled templates", () => {
  it.each(TEMPLATE_NAMES)("%s passes its own validation", (name) => {
    expect(templateErrors(defaultTemplates[name], sample(name))).toEqual([]);
  });

  it.each(TEMPLATE_NAMES)(
    "%s renders with the sample, without an app or names, and with what senders pass",
    (name) => {
      const full = renderParts(defaultTemplates[name], sample(name));
      expect(full.subject).toContain("Acme");
      expect(full.html).toMatch(/^<!doctype html>\n<html lang="en"/);
      expect(full.html).toContain('role="presentation"');
      expect(full.html).toContain("<h1");
      expect(full.text).toContain("Hello Ada Lovelace,");
      expect(full.text).not.toMatch(/<[a-z]/i);
      const sparse = renderParts(defaultTemplates[name], sparseVars(sample(name)));
      expect(sparse.text).toContain("Hello ada@example.com,");
      expect(sparse.text).not.toContain("Acme Web");
      // The bare minimum a sender passes: strict variables must still find every name.
      expect(() => renderParts(defaultTemplates[name], sent(name, {}))).not.toThrow();
    },
  );

  it("puts the link in the button, in plain text under it, and in the text part", () => {
    const { html, text } = renderParts(defaultTemplates.password_reset, {
      ...sample(),
      link: "https://login.acme.test/acme/reset?token=abc&redirect_uri=x",
    });
    expect(html).toContain('href="https://login.acme.test/acme/reset?token=abc&amp;redirect_uri=x"');
    expect(text).toContain("https://login.acme.test/acme/reset?token=abc&redirect_uri=x\n");
    expect(text).toContain("The link works for 60 minutes and only once.");
    expect(renderParts(defaultTemplates.verify_email, sample("verify_email")).text).toContain(
      "The link works for 24 hours.",
    );
  });

  it("uses the realm's theme colours, and fixed ones in dark mode", () => {
    const theme = templateTheme(readThemeTokens({ color_primary: "#aa0044", font_family: "serif" }));
    const { html } = renderParts(defaultTemplates.welcome, { ...sample("welcome"), theme });
    expect(html).toContain("color:#aa0044");
    expect(html).toContain("font-family:Georgia, Times New Roman, serif");
    expect(html).toContain("@media (prefers-color-scheme: dark)");
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
  });

  it("prints dates in UTC and says what a sender did not know about the device", () => {
    const { text } = renderParts(
      defaultTemplates.new_device,
      sent("new_device", { device: { browser: null, os: "Linux", ip: "198.51.100.4" } }),
    );
    expect(text).toContain("An unknown browser on Linux, from 198.51.100.4, on 4 March 2025 at 10:20 UTC.");
  });
});

describe("validation names the part, the line and the column", () => {
  it("refuses a syntax error", () => {
    expect(errorsOf({ html: "<p>Hello</p>\n  {% if user.name %}<p>x</p>" })).toEqual([
      {
        field: "html",
        code: "template.invalid",
        params: { line: 2, column: 3, detail: "tag {% if user.name %} not closed" },
      },
    ]);
  });

  it("reports every failing part at once", () => {
    const errors = errorsOf({ subject: "Hi {{ user.nam }}", text: "{{ user.name | upcase " });
    expect(errors.map((e) => e.field)).toEqual(["subject", "text"]);
    expect(errors[0]?.params).toMatchObject({ line: 1, column: 7 });
  });

  it("refuses an unknown variable, even in a branch no sample takes", () => {
    const [error] = errorsOf({
      text: 'Hi\n{% if user.email == "nobody" %}\n  {{ user.frist_name }}{% endif %}',
    });
    expect(error).toEqual({
      field: "text",
      code: "template.invalid",
      params: {
        line: 3,
        column: 6,
        detail: 'unknown variable "user.frist_name": "user" has email, username, first_name, last_name, name',
      },
    });
  });

  it("takes app.name without {% if app %}: with no app it prints nothing", () => {
    const parts = { subject: "x", html: "x", text: "[{{ app.name }}]" };
    expect(errorsOf(parts)).toEqual([]);
    expect(renderParts(parts, sparseVars(sample())).text).toBe("[]");
  });

  it("refuses a variable of another email, listing this one's", () => {
    const [error] = errorsOf({ html: "<p>{{ link }}</p>" }, "welcome");
    expect(error?.params?.detail).toBe(
      'unknown variable "link"; this email has: user, realm, app, now, theme',
    );
  });

  it("refuses properties that are not the data's own", () => {
    for (const html of ["{{ user.constructor }}", "{{ user.__proto__ }}", "{{ realm.url.toString }}"]) {
      expect(errorsOf({ html })[0]?.params?.detail, html).toMatch(/^unknown variable/);
    }
    expect(errorsOf({ html: "{{ user.name.size }} {{ user.name | size }}" })).toEqual([]);
  });

  it("refuses an unknown filter and the raw filter", () => {
    expect(errorsOf({ html: "<p>\n{{ user.name | shout }}</p>" })[0]?.params).toEqual({
      line: 2,
      column: 1,
      detail: 'unknown filter "shout"',
    });
    expect(errorsOf({ html: "{{ user.name | raw }}" })[0]?.params?.detail).toMatch(
      /^the raw filter is not allowed/,
    );
    expect(errorsOf({ text: "{{ user.name | raw }}" })[0]?.params?.detail).toMatch(
      /^the raw filter is not allowed/,
    );
  });

  it.each([
    "{% include 'footer' %}",
    "{% render '/etc/passwd' %}",
    "{% layout 'base' %}",
    "{% block body %}x{% endblock %}",
    "{% include '../../../../etc/passwd' %}",
  ])("refuses %s: no partials, no file system", (html) => {
    const [error] = errorsOf({ html });
    expect(error?.code).toBe("template.invalid");
    expect(error?.params?.detail).toMatch(/^the (include|render|layout|block) tag is not available/);
  });

  it.each([
    "{% for x in (1..3) %}{{ forloop.index }}{{ forloop.last }}{{ x }}{% endfor %}",
    "{% tablerow x in (1..3) %}{{ tablerowloop.col }}{% endtablerow %}",
    "{% assign g = 'Hi' %}{{ g }} {% capture c %}{{ user.name }}{% endcapture %}{{ c }}",
    "{% increment n %}{{ n }} {% cycle 'a', 'b' %}",
    "{% if user.first_name == empty or user.last_name == blank or app == nil %}x{% endif %}",
    "{% case user.first_name %}{% when 'Ada' %}hi{% else %}yo{% endcase %}",
    "{% liquid\n echo user.name\n %}",
    "{{ user.name | split: ' ' | first }} {{ user['name'] }} {{ realm[\"url\"] }}",
    "{% raw %}{{ shown as it is }}{% endraw %}",
  ])("accepts ordinary Liquid: %s", (text) => {
    expect(errorsOf({ text })).toEqual([]);
  });

  it("refuses a subject of more than one line", () => {
    expect(errorsOf({ subject: "Reset\nBcc: someone@evil.test" })).toEqual([
      { field: "subject", code: "template.multiline" },
    ]);
  });
});

describe("size limits", () => {
  const htmlOf = (bytes: number) => `<p>${"a".repeat(bytes - 7)}</p>`;

  it("takes HTML up to 100 KB and refuses a byte more, counting UTF-8 bytes", () => {
    expect(errorsOf({ html: htmlOf(TEMPLATE_LIMITS.htmlBytes) })).toEqual([]);
    expect(errorsOf({ html: htmlOf(TEMPLATE_LIMITS.htmlBytes + 1) })).toEqual([
      { field: "html", code: "template.too_large", params: { max: 102_400, size: 102_401 } },
    ]);
    // 60 000 characters, but 120 000 bytes.
    const [error] = errorsOf({ html: "é".repeat(60_000) });
    expect(error).toMatchObject({ code: "template.too_large", params: { size: 120_000 } });
  });

  it("refuses a text part over 50 KB", () => {
    expect(errorsOf({ text: "a".repeat(TEMPLATE_LIMITS.textBytes + 1) })[0]).toMatchObject({
      field: "text",
      code: "template.too_large",
      params: { max: 51_200 },
    });
  });
});

describe("output", () => {
  const evil = "<script>alert(1)</script>";
  const vars = () => ({
    ...sample(),
    user: { ...sample().user, first_name: evil, name: `${evil} "Q" & 'A'` },
  });

  it("escapes every output in HTML and leaves the text part as it is", () => {
    const rendered = renderParts(
      {
        subject: "Hi {{ user.first_name }}",
        html: "<p>{{ user.first_name }} {{ user.name }}</p>",
        text: "{{ user.first_name }}",
      },
      vars(),
    );
    expect(rendered.html).toBe(
      "<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;script&gt;alert(1)&lt;/script&gt; &#34;Q&#34; &amp; &#39;A&#39;</p>",
    );
    expect(rendered.text).toBe(evil);
    expect(rendered.subject).toBe(`Hi ${evil}`);
  });

  it("escapes even what a filter builds", () => {
    const { html } = renderParts(
      { subject: "x", html: "{{ user.first_name | append: '<b>' | upcase }}", text: "x" },
      vars(),
    );
    expect(html).toBe("&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;&lt;B&gt;");
  });

  it("keeps the subject on one line whatever a name holds: no mail header can be added", () => {
    const vars = { ...sample(), user: { ...sample().user, first_name: "Ada\r\nBcc: all@evil.test\n\nbody" } };
    const { subject } = renderParts(
      { subject: "Hi {{ user.first_name }}{{ '\n' }}X-Extra: 1", html: "x", text: "x" },
      vars,
    );
    expect(subject).toBe("Hi Ada Bcc: all@evil.test body X-Extra: 1");
    expect(subject).not.toMatch(/[\r\n]/);
    const long = renderParts(
      { subject: "{{ user.first_name }}", html: "x", text: "x" },
      {
        ...sample(),
        user: { ...sample().user, first_name: "n".repeat(1_000) },
      },
    );
    expect(long.subject).toHaveLength(250);
  });
});

describe("a template's work is bounded", () => {
  it.each([
    ["a huge range", "{% for i in (1..100000000) %}{% endfor %}", /memory limit/],
    [
      "a string that doubles",
      "{% assign s = 'xxxxxxxxxx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}",
      /memory limit/,
    ],
    [
      // 27 million iterations over one list: no allocation to charge, only the clock stops it.
      "nested loops",
      `{% assign xs = "${Array.from({ length: 300 }, (_, i) => i).join(",")}" | split: "," %}{% for a in xs %}{% for b in xs %}{% for c in xs %}{% endfor %}{% endfor %}{% endfor %}`,
      /too long to render/,
    ],
    [
      "a loop printing a large block",
      `{% for i in (1..5000) %}${"<p>padding</p>".repeat(200)}{% endfor %}`,
      /more than 1000000 characters/,
    ],
  ])("%s is stopped with a clear error", (_, html, detail) => {
    const [error] = errorsOf({ html });
    expect(error?.code).toBe("template.invalid");
    expect(String(error?.params?.detail)).toMatch(detail);
  });

  it("refuses tags nested thousands deep with a clear error, not a crash", () => {
    const html = `${"{% if app %}".repeat(4000)}x${"{% endif %}".repeat(4000)}`;
    const [error] = errorsOf({ html });
    expect(error).toMatchObject({ field: "html", code: "template.invalid" });
    expect(error?.params?.detail).toBe("the template nests tags too deeply");
  });

  it("allows an ordinary loop", () => {
    expect(errorsOf({ text: "{% for i in (1..3) %}{{ i }}{% endfor %} {{ user.name }}" })).toEqual([]);
  });

  it("bounds a render's wall time by the limit it is given: strict when saved, generous when sending", () => {
    const liquid = htmlLiquid;
    const templates = liquid.parse("{% for i in (1..2000) %}{{ i }}{% endfor %}");
    expect(() => renderBounded(liquid, templates, {}, 0)).toThrow(/template render limit exceeded/);
    expect(renderBounded(liquid, templates, {}, SEND_RENDER_LIMIT_MS)).toContain("2000");
    expect(SEND_RENDER_LIMIT_MS).toBeGreaterThan(RENDER_LIMIT_MS);
  });
});

describe("the variables catalogue", () => {
  it.each(TEMPLATE_NAMES)(
    "%s: every variable of the sample is documented, and every documented one exists",
    (name) => {
      const variables = templateVariables(name, sample(name));
      expect(variables.map((v) => v.name).sort()).toEqual(documentedVariables(name).sort());
      for (const v of variables) expect(v.description, v.name).not.toBe("");
    },
  );

  it.each(TEMPLATE_NAMES)("%s: docs/emails.md names the email and each of its variables", (name) => {
    const docs = readFileSync(path.resolve(__dirname, "../../../docs/emails.md"), "utf8");
    expect(docs).toContain(`| \`${name}\``);
    for (const variable of documentedVariables(name)) expect(docs, variable).toContain(`\`${variable}\``);
  });

  it("gives the realm's own name and URL as examples", () => {
    const variables = templateVariables("password_reset", sample());
    expect(variables).toContainEqual({
      name: "realm.url",
      description: expect.any(String),
      example: realm.url,
    });
    expect(variables.find((v) => v.name === "link")?.example).toMatch(
      /^https:\/\/login\.acme\.test\/acme\/reset\?token=/,
    );
  });

  it("fills what a sender left out with null, keeping what it gave", () => {
    const vars = sent("account_locked", { device: { ip: "198.51.100.4" } as TemplateVars["device"] });
    expect(vars.device).toEqual({ browser: null, os: null, ip: "198.51.100.4" });
    expect(vars.locked_until).toBeNull();
    expect(vars.app).toBeNull();
  });
});
