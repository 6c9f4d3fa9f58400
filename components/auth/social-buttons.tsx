"use client";

import { useT } from "@/components/i18n/messages-provider";

import type { SocialButton } from "@/lib/pages/social-buttons";

/**
 * "Continue with {provider}" links (plain GETs, so they work without JavaScript), in the realm's
 * button order, each carrying the login's entry query. `realmSlug` absent: the links are relative
 * (`login/social/{slug}`), which resolves from `/{realm}/login` and `/{realm}/signup` alike.
 */
export function SocialButtons({
  providers,
  query,
  realmSlug,
  divider = true,
}: {
  providers: SocialButton[];
  query: string;
  realmSlug?: string;
  /** "or" before a password form; off when the buttons are the only way in. */
  divider?: boolean;
}) {
  const { t } = useT();
  if (providers.length === 0) return null;
  const base = realmSlug ? `/${encodeURIComponent(realmSlug)}/login/social` : "login/social";
  return (
    <nav data-slot="social-buttons" aria-label={t("page.social.buttons_label")}>
      <ul data-slot="social-list">
        {providers.map((provider) => (
          <li key={provider.slug}>
            <a
              data-slot="social-button"
              data-provider={provider.slug}
              href={`${base}/${encodeURIComponent(provider.slug)}${query ? `?${query}` : ""}`}
            >
              {t("page.social.continue_with", { provider: provider.displayName })}
            </a>
          </li>
        ))}
      </ul>
      {divider ? (
        <p data-slot="social-divider" aria-hidden="true">
          {t("page.social.or")}
        </p>
      ) : null}
    </nav>
  );
}
