import type { Metadata } from 'next';
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

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className="dark" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
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
