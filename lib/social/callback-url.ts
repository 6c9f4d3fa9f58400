/**
 * The redirect URI of a realm's provider, registered upstream and sent with every authorization
 * request: `{realm URL}/login/social/{slug}/callback`. The realm URL comes from PUBLIC_URL
 * (`gh.realmUrl`), never from request headers.
 */
export function socialCallbackUrl(realmUrl: string, slug: string): string {
  return `${realmUrl}/login/social/${encodeURIComponent(slug)}/callback`;
}
