import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { TRPCError } from '@trpc/server';
import { TrainingMonitor } from '@/components/monitor/TrainingMonitor';
import { serverApi } from '@/trpc/server';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).id) };
}

export default async function RunPage({ params }: Props) {
  const experimentId = decodeURIComponent((await params).id);
  const api = await serverApi();
  const session = await api.session.get({ experimentId }).catch((e: unknown) => {
    if (e instanceof TRPCError && e.code === 'NOT_FOUND') notFound();
    throw e;
  });
  // Step is the natural axis when the trainer reports steps; otherwise epochs.
  const [last] = session.metricsCount ? await api.metric.list({ experimentId, limit: 1 }) : [];
  const defaultAxis = last && last.step === null ? 'epoch' : 'step';
  return <TrainingMonitor initial={session} defaultAxis={defaultAxis} />;
}
