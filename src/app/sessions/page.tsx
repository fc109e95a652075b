import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { RunsTable } from '@/components/runs/RunsTable';
import { serverApi } from '@/trpc/server';

export const dynamic = 'force-dynamic';
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('runs'))('title') };
}

export default async function RunsPage() {
  const t = await getTranslations('runs');
  const { items } = await (await serverApi()).session.list({ limit: 500 });
  return (
    <main className="mx-auto max-w-[1600px] px-4 py-6">
      <h1 className="mb-4 text-lg font-semibold">{t('title')}</h1>
      <RunsTable initial={items} />
    </main>
  );
}
