import type { Metadata } from 'next';
import Link from 'next/link';
import { CompareView } from '@/components/compare/CompareView';
import type { SessionInfo } from '@/shared/types';
import { serverApi } from '@/trpc/server';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Compare' };

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
    return (
      <main className="mx-auto max-w-3xl px-4 py-16 text-center">
        <h1 className="text-lg font-semibold">Compare runs</h1>
        <p className="mt-2 text-sm text-muted">
          Select two or more runs on the{' '}
          <Link href="/sessions" className="text-accent hover:underline">
            Runs
          </Link>{' '}
          page and press Compare.
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
