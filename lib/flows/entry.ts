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
  // A fixed internal marker, never a URL: after login the browser goes to the realm's own profile
  // page (no token is issued), so there is nothing here an attacker could point elsewhere.
  return_to: z.enum(["profile"]).optional(),
});

export type EntryParams = z.output<typeof entryParamsSchema>;

/** A validated way into the realm: which app, where to return, what to echo. */
export interface AppEntry {
  returnTo: "app";
  app: App;
  redirectUri: string;
  state: string | undefined;
  redir: string | undefined;
  forceLogin: boolean;
}

/**
 * A login on the way to the realm's own profile page (`return_to=profile`): no token is issued.
 * `app` and `redirectUri` are set only when the profile was opened with a valid return address,
 * for its "Back to {app}" link.
 */
export interface ProfileEntry {
  returnTo: "profile";
  app: App | null;
  redirectUri: string | null;
  state: undefined;
  redir: undefined;
  forceLogin: boolean;
}

export type Entry = AppEntry | ProfileEntry;

/** Search params or form fields → entry params; repeated or non-string values are refused. */
export function readEntryParams(source: Record<string, unknown>): EntryParams {
  const flat: Record<string, string> = {};
  for (const key of ["redirect_uri", "state", "client_id", "prompt", "redir", "return_to"] as const) {
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
  const forceLogin = params.prompt === "login";
  if (params.return_to === "profile") {
    const back = params.redirect_uri ? await resolveReturn(apps, realmId, params) : null;
    return {
      returnTo: "profile",
      app: back?.app ?? null,
      redirectUri: back?.redirectUri ?? null,
      state: undefined,
      redir: undefined,
      forceLogin,
    };
  }
  const { app, redirectUri } = await resolveReturn(apps, realmId, params);
  return { returnTo: "app", app, redirectUri, state: params.state, redir: params.redir, forceLogin };
}

/** The app and the registered address to return to; throws for an unknown app or unregistered URI. */
async function resolveReturn(
  apps: Apps,
  realmId: string,
  params: EntryParams,
): Promise<{ app: App; redirectUri: string }> {
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
  return { app, redirectUri };
}

/** The parameters to carry through forms and links so the next request resolves the same entry. */
export function entryToParams(entry: Entry): Record<string, string> {
  if (entry.returnTo === "profile") return { return_to: "profile", ...profileParams(entry) };
  const out: Record<string, string> = { client_id: entry.app.id, redirect_uri: entry.redirectUri };
  if (entry.state) out.state = entry.state;
  if (entry.redir) out.redir = entry.redir;
  return out;
}

/** Where the profile's "Back to {app}" link leads, if anywhere. */
export interface ProfileBackRef {
  app: Pick<App, "id"> | null;
  redirectUri: string | null;
}

/** The query of the profile page for this entry: its validated return address, if any. */
export function profileParams(back: ProfileBackRef): Record<string, string> {
  return back.app && back.redirectUri ? { client_id: back.app.id, redirect_uri: back.redirectUri } : {};
}

/** `{realm URL}/profile` or `{realm URL}/login?return_to=profile`, with the validated return address. */
export function profilePageUrl(realmUrl: string, page: "profile" | "login", back: ProfileBackRef): string {
  const params = new URLSearchParams(
    page === "login" ? { return_to: "profile", ...profileParams(back) } : profileParams(back),
  );
  const query = params.toString();
  return `${realmUrl}/${page}${query ? `?${query}` : ""}`;
}
