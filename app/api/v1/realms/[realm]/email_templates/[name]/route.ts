import { apiKeyRef, apiRoute, EMAIL_TEMPLATE_BODY_BYTES, emailTemplateOut } from "@/lib/api";

export const dynamic = "force-dynamic";

type Params = { realm: string; name: string };

export const GET = apiRoute<Params>(async ({ gh, params, realm }) => {
  const found = await realm(params.realm);
  return emailTemplateOut.parse(await gh.emailTemplates.get(found, params.name));
});

/** Saves the realm's own template; it is validated first, and nothing changes when it fails. */
export const PUT = apiRoute<Params>(
  async ({ gh, params, realm, json, principal }) => {
    const found = await realm(params.realm);
    const saved = await gh.emailTemplates.save(found, params.name, await json());
    await gh.events.record({
      realmId: found.id,
      type: "email_template.updated",
      data: { via: "api", key: apiKeyRef(principal), name: saved.name },
    });
    return emailTemplateOut.parse(saved);
  },
  { maxBodyBytes: EMAIL_TEMPLATE_BODY_BYTES },
);

/** Back to the bundled default: 204 whether or not the realm had its own. */
export const DELETE = apiRoute<Params>(async ({ gh, params, realm, principal }) => {
  const found = await realm(params.realm);
  if (await gh.emailTemplates.reset(found, params.name)) {
    await gh.events.record({
      realmId: found.id,
      type: "email_template.reset",
      data: { via: "api", key: apiKeyRef(principal), name: params.name },
    });
  }
  return new Response(null, { status: 204 });
});
