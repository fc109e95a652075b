import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { CompareView } from '@/components/compare/CompareView';
import type { SessionInfo } from '@/shared/types';
import { serverApi } from '@/trpc/server';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('nav'))('compare') };
}

type Props = { searchParams: Promise<{ ids?: string | string[] }> };

export default async function ComparePage({ searchParams }: Props) {
  const raw = (await searchParams).ids;
  const ids = [
    ...new Set(
      (Array.isArray(raw) ? raw.join(',') : (raw ?? ''))
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ].slice(0, 10);
  if (ids.length === 0) {
    const t = await getTranslations('compare');
    return (
      <main className="mx-auto max-w-3xl px-4 py-16 text-center">
        <h1 className="text-lg font-semibold">{t('emptyTitle')}</h1>
        <p className="mt-2 text-sm text-muted">
          {t.rich('emptyBody', {
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
  const api = await serverApi();
  const found = await Promise.all(ids.map((experimentId) => api.session.get({ experimentId }).catch(() => null)));
  const sessions = found.filter((s): s is SessionInfo => s !== null);
  const missing = ids.filter((id) => !sessions.some((s) => s.experimentId === id));
  return <CompareView sessions={sessions} missing={missing} />;
}
