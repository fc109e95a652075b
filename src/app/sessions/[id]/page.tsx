import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { TRPCError } from '@trpc/server';
import { TrainingMonitor } from '@/components/monitor/TrainingMonitor';
import { MAX_POINTS } from '@/components/charts/seriesLimits';
import { HydrateClient, api as prefetch, serverApi } from '@/trpc/server';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ at?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).id) };
}

export default async function RunPage({ params, searchParams }: Props) {
  const experimentId = decodeURIComponent((await params).id);
  // An alert's link (?at=<ms>) opens the charts on the time axis with that moment marked.
  const at = Number((await searchParams).at);
  const alertAt = Number.isFinite(at) && at > 0 ? at : undefined;
  const api = await serverApi();
  const session = await api.session.get({ experimentId }).catch((e: unknown) => {
    if (e instanceof TRPCError && e.code === 'NOT_FOUND') notFound();
    throw e;
  });
  // Step is the natural axis when the trainer reports steps; otherwise epochs.
  const [[last], names] = await Promise.all([
    session.metricsCount ? api.metric.list({ experimentId, limit: 1 }) : Promise.resolve([]),
    // Sent with the page, so the charts ask for their series at once.
    api.metric.names({ experimentId }),
  ]);
  const defaultAxis = alertAt !== undefined ? 'time' : last && last.step === null ? 'epoch' : 'step';
  // The charts' first series travel with the page: drawn as soon as the scripts run.
  await Promise.all(
    // A run with very many metrics sends the first dozen; the other charts ask for theirs.
    names
      .slice(0, 12)
      .map((name) => prefetch.metric.series.prefetch({ experimentId, names: [name], x: defaultAxis, maxPoints: MAX_POINTS })),
  );
  return (
    <HydrateClient>
      <TrainingMonitor initial={session} initialNames={names} defaultAxis={defaultAxis} alertAt={alertAt} />
    </HydrateClient>
  );
}
