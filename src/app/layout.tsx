import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/AppHeader';
import { AuthGate } from '@/components/auth/AuthGate';
import { TRPCReactProvider } from '@/trpc/react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'CV Studio Monitor', template: '%s · CV Studio Monitor' },
  description: 'Live hosts, GPUs and training runs',
};

// Applies a saved light theme before the first paint, so a light page never flashes dark.
const themeScript = `try{if(localStorage.getItem('theme')==='light')document.documentElement.classList.remove('dark')}catch(e){}`;

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The page's CSP nonce (set by the server for each request), so the theme script may run;
  // reading it renders every page per request, which nonces need.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <html lang="en" className="dark" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen bg-bg text-fg antialiased">
        <TRPCReactProvider>
          <AppHeader />
          <AuthGate>{children}</AuthGate>
        </TRPCReactProvider>
      </body>
    </html>
  );
}
