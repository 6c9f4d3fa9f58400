import type { ReactNode } from "react";

/**
 * The frame of every hosted screen, built from named slots (`data-slot`) that designers target
 * with CSS; the names are a public contract (docs/customization.md) and are not renamed casually.
 */
export function AuthShell({
  realmName,
  heading,
  children,
  footer,
}: {
  realmName: string;
  heading: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <main data-slot="page" id="main">
      <div data-slot="card">
        <header data-slot="header">
          <p data-slot="realm-name">{realmName}</p>
          <h1 data-slot="heading">{heading}</h1>
        </header>
        <div data-slot="form">{children}</div>
        {footer ? <footer data-slot="footer">{footer}</footer> : null}
      </div>
    </main>
  );
}
