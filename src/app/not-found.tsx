import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

/** An unknown page or run, in the reader's language (Next's own 404 page is English only). */
export default async function NotFound() {
  const t = await getTranslations('notFound');
  return (
    <main className="mx-auto max-w-3xl px-4 py-16 text-center">
      <h1 className="text-lg font-semibold">{t('title')}</h1>
      <p className="mt-2 text-sm text-muted">
        {t.rich('body', {
          link: (text) => (
            <Link href="/sessions" className="text-accent hover:underline">
              {text}
            </Link>
          ),
        })}
      </p>
    </main>
  );
}
