'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { api } from '@/trpc/react';
import { useErrorText } from '../useErrorText';
import { codeTag } from '../richTags';

/** Signs the browser in with an API key; the server answers with an httpOnly session cookie. */
export function SignInForm() {
  const t = useTranslations('signIn');
  const errorText = useErrorText();
  const [key, setKey] = useState('');
  const signIn = api.auth.signIn.useMutation({ onSuccess: () => window.location.reload() });
  return (
    <main className="mx-auto mt-24 max-w-sm px-4">
      <h1 className="text-xl font-semibold">{t('title')}</h1>
      <p className="mt-2 text-sm text-muted">{t.rich('intro', { code: codeTag('rounded bg-raised px-1') })}</p>
      <form
        className="mt-6 space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          signIn.mutate({ key: key.trim() });
        }}
      >
        <label className="block text-sm">
          <span className="text-muted">{t('apiKey')}</span>
          <input
            type="password"
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            className="mt-1 w-full rounded-md border border-line bg-panel px-3 py-2 font-mono text-sm outline-none focus:border-accent"
            // An example of what to type, the same in every language.
            translate="no"
            placeholder="cvsm_…"
            required
          />
        </label>
        {signIn.error && (
          <p role="alert" className="text-sm text-red-400">
            {errorText(signIn.error)}
          </p>
        )}
        <button
          type="submit"
          disabled={signIn.isPending || key.trim() === ''}
          className="w-full rounded-md bg-accent px-3 py-2 text-sm font-medium text-white disabled:opacity-50"
        >
          {signIn.isPending ? t('submitting') : t('submit')}
        </button>
      </form>
    </main>
  );
}
