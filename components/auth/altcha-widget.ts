// Imported dynamically, only by pages whose realm has ALTCHA on: the web component, its
// stylesheet and its worker never load otherwise. `altcha/external` is the build without inline
// styles and without blob: workers, so it runs under our CSP (nonce scripts, 'self' styles).
import "altcha/external";
import "altcha/altcha.css";

/** Registers our solver worker and the page's strings for the widget. */
export function setUpAltcha(language: string, strings: Record<string, string>) {
  globalThis.$altcha.algorithms.set(
    "PBKDF2/SHA-256",
    () => new Worker(new URL("./altcha-pbkdf2.worker.ts", import.meta.url)),
  );
  globalThis.$altcha.i18n.set(language, { ...globalThis.$altcha.i18n.get("en"), ...strings });
}
