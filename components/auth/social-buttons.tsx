"use client";

import { useT } from "@/components/i18n/messages-provider";

/**
 * STAND-IN for B's `components/auth/social-buttons.tsx` (issue 6, same props): at merge B's file
 * wins. "Continue with {provider}" links (GET) to the provider's start route, in the order given
 * (the realm's button order), carrying the login's entry parameters. The links are relative to the
 * realm's base (`/{realm}/…`, or `/…` on a custom domain): every page that shows them (`/login`,
 * `/signup`) sits directly under it.
 */
export function SocialButtons({
  providers,
  query,
}: {
  providers: { slug: string; displayName: string }[];
  query: string;
}) {
  const { t } = useT();
  if (providers.length === 0) return null;
  return (
    <nav aria-label={t("page.login.social_label")} data-slot="social-buttons">
      <ul>
        {providers.map((p) => (
          <li key={p.slug}>
            <a
              href={`login/social/${encodeURIComponent(p.slug)}${query ? `?${query}` : ""}`}
              data-slot="social-button"
              data-provider={p.slug}
            >
              {t("action.social_continue", { provider: p.displayName })}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
