import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { MessagesProvider } from "@/components/i18n/messages-provider";
import { messagesFor, readHostedRequest } from "@/lib/http/next-request";
import { loadRealmView } from "@/lib/pages/hosted-page";
import { themeToCss } from "@/lib/themes";

export default async function RealmLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ realm: string }>;
}) {
  const { realm: slug } = await params;
  const [realm, request] = await Promise.all([loadRealmView(slug), readHostedRequest()]);
  if (!realm) notFound();
  return (
    <MessagesProvider messages={messagesFor(request.locale)}>
      <style nonce={request.nonce}>{themeToCss(realm.theme)}</style>
      {children}
    </MessagesProvider>
  );
}
