import { handleSocialCallback } from "@/lib/pages/social-login";

export const dynamic = "force-dynamic";

type Route = { params: Promise<{ realm: string; provider: string }> };

/** The provider sends the browser back here (the redirect URI registered with it). */
export async function GET(request: Request, { params }: Route) {
  const { realm, provider } = await params;
  return handleSocialCallback(request, realm, provider);
}
