'use client';
import { useState } from 'react';
import { api } from '@/trpc/react';

/** Signs the browser in with an API key; the server answers with an httpOnly session cookie. */
export function SignInForm() {
  const [key, setKey] = useState('');
  const signIn = api.auth.signIn.useMutation({ onSuccess: () => window.location.reload() });
  return (
    <main className="mx-auto mt-24 max-w-sm px-4">
      <h1 className="text-xl font-semibold">Sign in</h1>
      <p className="mt-2 text-sm text-muted">
        This monitor asks for an API key. Ask an admin for one, or create one on the server with{' '}
        <code className="rounded bg-raised px-1">npm run keys -- create --name me --scope read</code>.
      </p>
      <form
        className="mt-6 space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          signIn.mutate({ key: key.trim() });
        }}
      >
        <label className="block text-sm">
          <span className="text-muted">API key</span>
          <input
            type="password"
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            className="mt-1 w-full rounded-md border border-line bg-panel px-3 py-2 font-mono text-sm outline-none focus:border-accent"
            placeholder="cvsm_…"
            required
          />
        </label>
        {signIn.error && (
          <p role="alert" className="text-sm text-red-400">
            {signIn.error.message}
          </p>
        )}
        <button
          type="submit"
          disabled={signIn.isPending || key.trim() === ''}
          className="w-full rounded-md bg-accent px-3 py-2 text-sm font-medium text-white disabled:opacity-50"
        >
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
