/**
 * The door of every page. While no API key exists the app runs open and says so; once keys
 * exist, a browser without a valid session cookie sees the sign-in form instead of the page.
 */
import { cookies } from 'next/headers';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { getServices } from '@/server/appContext';
import { SESSION_COOKIE } from '@/server/auth/authenticate';
import { SignInForm } from './SignInForm';

export async function AuthGate({ children }: { children: ReactNode }) {
  // Reading the cookie first makes every page render per request (never at build time,
  // when the app's services are not running).
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const services = getServices();
  const [anyKey, principal] = await Promise.all([
    services.apiKeys.anyActive(),
    token ? services.apiKeys.verifySession(token) : Promise.resolve(null),
  ]);
  if (!anyKey) {
    return (
      <>
        <p role="status" className="border-b border-amber-500/30 bg-amber-500/10 px-4 py-1.5 text-center text-xs text-amber-200">
          Open mode: no API key exists, so anyone who can reach this address may read and write.{' '}
          <Link href="/settings" className="underline">
            Create a key
          </Link>{' '}
          to require one.
        </p>
        {children}
      </>
    );
  }
  return principal ? children : <SignInForm />;
}
