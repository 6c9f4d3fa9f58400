import { z } from "zod";
import { type App, type Apps, matchRedirectUri } from "@/lib/apps";
import { AppError } from "@/lib/errors";

/** Query parameters of `/login` and `/signup` (DESIGN section 2). */
export const entryParamsSchema = z.object({
  redirect_uri: z.string().max(2048).optional(),
  state: z.string().max(1024).optional(),
  client_id: z.string().max(64).optional(),
  prompt: z.string().max(32).optional(),
  redir: z
    .string()
    .max(1024)
    // A relative path only; encoded slashes and backslashes are refused too, since an app that
    // decodes `redir` before redirecting would otherwise turn `/%2f%2fevil.com` into `//evil.com`.
    .regex(/^\/(?![/\\])[^\s\\]*$/)
    .refine((value) => !/%(2f|5c|0[0-9a-f]|1[0-9a-f]|7f)/i.test(value))
    .optional(),
});

export type EntryParams = z.output<typeof entryParamsSchema>;

/** A validated way into the realm: which app, where to return, what to echo. */
export interface Entry {
  app: App;
  redirectUri: string;
  state: string | undefined;
  redir: string | undefined;
  forceLogin: boolean;
}

/** Search params or form fields → entry params; repeated or non-string values are refused. */
export function readEntryParams(source: Record<string, unknown>): EntryParams {
  const flat: Record<string, string> = {};
  for (const key of ["redirect_uri", "state", "client_id", "prompt", "redir"] as const) {
    const value = source[key];
    if (value === undefined || value === "") continue;
    if (typeof value !== "string")
      throw new AppError(key === "redirect_uri" ? "redirect_uri.invalid" : "entry.invalid");
    flat[key] = value;
  }
  const parsed = entryParamsSchema.safeParse(flat);
  if (!parsed.success) {
    const aboutReturn = parsed.error.issues.some((issue) => issue.path[0] === "redirect_uri");
    throw new AppError(aboutReturn ? "redirect_uri.invalid" : "entry.invalid");
  }
  return parsed.data;
}

export async function resolveEntry(apps: Apps, realmId: string, params: EntryParams): Promise<Entry> {
  const app = await apps.resolve(realmId, params.client_id);
  let redirectUri: string | null;
  if (params.redirect_uri) {
    redirectUri = matchRedirectUri(params.redirect_uri, app.redirectUris, {
      allowSubpaths: app.allowSubpaths,
    });
  } else {
    redirectUri = app.redirectUris[0] ?? null;
  }
  if (!redirectUri) throw new AppError("redirect_uri.invalid");
  return {
    app,
    redirectUri,
    state: params.state,
    redir: params.redir,
    forceLogin: params.prompt === "login",
  };
}

/** The parameters to carry through forms and links so the next request resolves the same entry. */
export function entryToParams(entry: Entry): Record<string, string> {
  const out: Record<string, string> = { client_id: entry.app.id, redirect_uri: entry.redirectUri };
  if (entry.state) out.state = entry.state;
  if (entry.redir) out.redir = entry.redir;
  return out;
}
