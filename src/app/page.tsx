import { Overview } from '@/components/overview/Overview';
import { serverApi } from '@/trpc/server';

// Reads live data on every request.
export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  const { items } = await (await serverApi()).session.list({ status: ['running', 'paused', 'queued'], limit: 24 });
  return <Overview activeRuns={items} />;
}
