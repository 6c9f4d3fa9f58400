import { AuthShell } from "@/components/auth/auth-shell";

export const metadata = { title: "Gatehouse" };

/** The installation's own root: nothing to log in to here, realms live at /{realm}/login. */
export default function Home() {
  return (
    <AuthShell realmName="Gatehouse" heading="Gatehouse is running">
      <p>
        Each realm's login page lives at <code>/&lt;realm&gt;/login</code>. See the README for the management
        API.
      </p>
    </AuthShell>
  );
}
