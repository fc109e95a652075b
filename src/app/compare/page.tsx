import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { CompareView } from '@/components/compare/CompareView';
import { MessagePage } from '@/components/MessagePage';
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
    return <MessagePage title={t('emptyTitle')} body={(tags) => t.rich('emptyBody', tags)} />;
  }
  const api = await serverApi();
  const found = await Promise.all(ids.map((experimentId) => api.session.get({ experimentId }).catch(() => null)));
  const sessions = found.filter((s): s is SessionInfo => s !== null);
  const missing = ids.filter((id) => !sessions.some((s) => s.experimentId === id));
  return <CompareView sessions={sessions} missing={missing} />;
}
