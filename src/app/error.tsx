'use client';
import { useTranslations } from 'next-intl';

/** A page that failed to render: said in the reader's language, with a way to try again. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations('errorPage');
  return (
    <main className="mx-auto max-w-3xl px-4 py-16 text-center">
      <h1 className="text-lg font-semibold">{t('title')}</h1>
      <p className="mt-2 text-sm text-muted">{error.digest ? t('bodyWithId', { id: error.digest }) : t('body')}</p>
      <button type="button" onClick={reset} className="mt-4 rounded-md border border-line px-3 py-1.5 text-sm hover:bg-raised">
        {t('retry')}
      </button>
    </main>
  );
}
