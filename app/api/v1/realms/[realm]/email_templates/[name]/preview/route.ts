import { apiRoute, EMAIL_TEMPLATE_BODY_BYTES, emailPreviewOut } from "@/lib/api";

export const dynamic = "force-dynamic";

type Params = { realm: string; name: string };

/** Renders the saved template, or an unsaved draft, with sample data. Changes nothing. */
export const POST = apiRoute<Params>(
  async ({ gh, params, realm, optionalJson }) => {
    const found = await realm(params.realm);
    const body = await optionalJson();
    return emailPreviewOut.parse(await gh.emailTemplates.preview(found, params.name, body));
  },
  { maxBodyBytes: EMAIL_TEMPLATE_BODY_BYTES },
);
