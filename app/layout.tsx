import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { requestMessages } from "@/lib/http/next-request";
import { resolveLocale } from "@/lib/i18n";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  return {
    title: (await requestMessages())["page.home.product"],
    robots: { index: false, follow: false },
    icons: { icon: "/favicon.svg" },
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = resolveLocale((await headers()).get("accept-language"));
  return (
    <html lang={locale}>
      <body>{children}</body>
    </html>
  );
}
