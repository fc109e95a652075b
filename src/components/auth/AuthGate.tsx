/**
 * The door of every page. While no API key exists the app runs open and says so; once keys
 * exist, a browser without a valid session cookie sees the sign-in form instead of the page.
 */
import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { requestContext } from '@/trpc/server';
import { linkTo } from '../richTags';
import { SignInForm } from './SignInForm';

export async function AuthGate({ children }: { children: ReactNode }) {
  const { auth } = await requestContext();
  if (auth.open) {
    const t = await getTranslations('openMode');
    return (
      <>
        <p
          role="status"
          className="border-b border-amber-500/40 bg-amber-100 px-4 py-1.5 text-center text-xs text-amber-900 dark:bg-amber-500/10 dark:text-amber-200"
        >
          {t.rich('banner', { link: linkTo('/settings', 'underline') })}
        </p>
        {children}
      </>
    );
  }
  return auth.principal ? children : <SignInForm />;
}
