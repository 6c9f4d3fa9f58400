import { apiRoute, emailTemplateSummaryOut } from "@/lib/api";

export const dynamic = "force-dynamic";

type Params = { realm: string };

/** Every email of the realm: whether it uses its own template, its subject and its variables. */
export const GET = apiRoute<Params>(async ({ gh, params, realm }) => {
  const found = await realm(params.realm);
  const templates = await gh.emailTemplates.list(found);
  return {
    object: "list" as const,
    data: templates.map((t) => emailTemplateSummaryOut.parse(t)),
    has_more: false,
    next_after: null,
  };
});
