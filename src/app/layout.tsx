import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getMessages, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/AppHeader';
import { AuthGate } from '@/components/auth/AuthGate';
import { TRPCReactProvider } from '@/trpc/react';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('app');
  return { title: { default: t('name'), template: `%s · ${t('name')}` }, description: t('description') };
}

/** Namespaces only server components read: kept out of every page's payload to the browser. */
const SERVER_ONLY = new Set(['apiDocs', 'openMode', 'notFound']);

// Applies a saved light theme before the first paint, so a light page never flashes dark.
const themeScript = `try{if(localStorage.getItem('theme')==='light')document.documentElement.classList.remove('dark')}catch(e){}`;

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The page's CSP nonce (set by the server for each request), so the theme script may run;
  // reading it renders every page per request, which nonces need.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  // Rendered on the server in the request's language (cookie, else Accept-Language): no flash.
  const locale = await getLocale();
  const messages = Object.fromEntries(Object.entries(await getMessages()).filter(([ns]) => !SERVER_ONLY.has(ns)));
  return (
    <html lang={locale} className="dark" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen bg-bg text-fg antialiased">
        <NextIntlClientProvider messages={messages}>
          <TRPCReactProvider>
            <AppHeader />
            <AuthGate>{children}</AuthGate>
          </TRPCReactProvider>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
