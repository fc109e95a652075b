import type { Metadata } from 'next';
import { RunsTable } from '@/components/runs/RunsTable';
import { serverApi } from '@/trpc/server';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Runs' };

export default async function RunsPage() {
  const { items } = await (await serverApi()).session.list({ limit: 500 });
  return (
    <main className="mx-auto max-w-[1600px] px-4 py-6">
      <h1 className="mb-4 text-lg font-semibold">Runs</h1>
      <RunsTable initial={items} />
    </main>
  );
}
