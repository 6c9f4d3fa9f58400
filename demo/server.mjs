// The demo app: a stand-in for a product team's application, deliberately separate from the portal.
// It knows only the portal's public URL contract: it sends users to /{realm}/login and verifies the
// returned token against /{realm}/connect/jwks over HTTP with a stock JOSE library.
import http from "node:http";
import { createRemoteJWKSet, jwtVerify } from "jose";

export function startDemoApp({
  port,
  portalUrl,
  realm,
  clientId,
  host = "127.0.0.1",
  publicUrl,
  algorithm = "RS256",
}) {
  const realmUrl = `${portalUrl}/${realm}`;
  const selfUrl = publicUrl ?? `http://localhost:${port}`;
  const jwks = createRemoteJWKSet(new URL(`${realmUrl}/connect/jwks`));
  const escapeHtml = (s) =>
    String(s).replace(
      /[&<>"']/g,
      (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
    );
  const page = (title, body) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1b1d24}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}a.button{display:inline-block;background:#0b6e4f;color:#fff;padding:.6rem 1rem;border-radius:6px;text-decoration:none}</style></head><body><p><strong>Demo App</strong> — a separate application that trusts Gatehouse</p>${body}</body></html>`;
  const loginUrl = () => {
    const url = new URL(`${realmUrl}/login`);
    url.searchParams.set("client_id", clientId);
    url.searchParams.set("redirect_uri", `${selfUrl}/callback`);
    url.searchParams.set("state", "demo-state");
    return url.href;
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", selfUrl);
    const send = (status, html) => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8", "referrer-policy": "no-referrer" });
      res.end(html);
    };
    if (url.pathname === "/") {
      return send(
        200,
        page(
          "Demo App",
          `<h1>Demo App</h1><p><a class="button" href="${escapeHtml(loginUrl())}">Log in with Gatehouse</a></p>`,
        ),
      );
    }
    if (url.pathname === "/callback") {
      const token = url.searchParams.get("token");
      if (!token)
        return send(400, page("No token", "<h1>No token</h1><p>The callback carried no token.</p>"));
      try {
        const { payload, protectedHeader } = await jwtVerify(token, jwks, {
          issuer: realmUrl,
          audience: clientId,
          algorithms: [algorithm], // pinned to the realm's key type, never taken from the token
        });
        const rows = Object.entries(payload)
          .map(
            ([k, v]) =>
              `<tr><th scope="row">${escapeHtml(k)}</th><td data-claim="${escapeHtml(k)}">${escapeHtml(typeof v === "string" ? v : JSON.stringify(v))}</td></tr>`,
          )
          .join("");
        // The token itself proves to the portal that this app asks for the logout (id_token_hint),
        // so the user is not asked to confirm.
        const logout = `${realmUrl}/logout?client_id=${encodeURIComponent(clientId)}&redirect_uri=${encodeURIComponent(`${selfUrl}/`)}&id_token_hint=${encodeURIComponent(token)}`;
        return send(
          200,
          page(
            "Signed in",
            `<h1>Signed in as ${escapeHtml(payload.email ?? payload.sub)}</h1><p role="status">Token verified through JWKS (alg ${escapeHtml(protectedHeader.alg)}, kid ${escapeHtml(protectedHeader.kid)}).</p><p>state: <code data-testid="state">${escapeHtml(url.searchParams.get("state") ?? "")}</code>${url.searchParams.get("signup") === "true" ? ' · <strong data-testid="signup">new signup</strong>' : ""}</p><table><caption>Verified claims</caption>${rows}</table><p><a href="${escapeHtml(logout)}">Log out</a> · <a href="${escapeHtml(loginUrl())}">Log in again (seamless)</a></p>`,
          ),
        );
      } catch (error) {
        return send(
          401,
          page(
            "Invalid token",
            `<h1>Invalid token</h1><p data-testid="error">${escapeHtml(error.code ?? error.message)}</p>`,
          ),
        );
      }
    }
    send(404, page("Not found", "<h1>Not found</h1>"));
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.DEMO_PORT ?? 3001);
  const { DEMO_PORTAL_URL, DEMO_REALM, DEMO_CLIENT_ID } = process.env;
  if (!DEMO_PORTAL_URL || !DEMO_CLIENT_ID) {
    console.error("Set DEMO_PORTAL_URL, DEMO_REALM and DEMO_CLIENT_ID (npm start does this for you).");
    process.exit(1);
  }
  await startDemoApp({
    port,
    portalUrl: DEMO_PORTAL_URL,
    realm: DEMO_REALM ?? "demo",
    clientId: DEMO_CLIENT_ID,
  });
  console.log(`demo app on http://localhost:${port}`);
}
