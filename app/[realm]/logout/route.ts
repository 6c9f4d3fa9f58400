import { handleLogout } from "@/lib/pages/logout";

export const dynamic = "force-dynamic";

type Route = { params: Promise<{ realm: string }> };

export async function GET(request: Request, { params }: Route) {
  const { realm } = await params;
  return handleLogout(request, realm, Object.fromEntries(new URL(request.url).searchParams));
}

export async function POST(request: Request, { params }: Route) {
  const { realm } = await params;
  return handleLogout(request, realm, Object.fromEntries(new URL(request.url).searchParams));
}
