'use client';
import dynamic from 'next/dynamic';
import { useTranslations } from 'next-intl';
import type { SessionInfo } from '@/shared/types';
import { useFleet } from '../fleet/useFleet';
import { useNow } from '../useNow';
import { ActiveRuns } from './ActiveRuns';
import { codeTag } from '../richTags';

// Either view is drawn only once the fleet message has come (never on the server), and a
// page needs one of the two: each is its own chunk, loaded when chosen, so a fleet's page
// does not evaluate the cards' Chart.js while it loads, nor a few hosts' page the grid.
const SmallFleet = dynamic(() => import('./SmallFleet').then((m) => m.SmallFleet), { ssr: false });
const FleetView = dynamic(() => import('../fleet/FleetView').then((m) => m.FleetView), { ssr: false });

/** Up to this many hosts get a card each; beyond, the fleet view (summary, grid, table). */
export const CARDS_UP_TO = 8;

export function Overview({ activeRuns }: { activeRuns: SessionInfo[] }) {
  const t = useTranslations('overview');
  const now = useNow();
  // The compact fleet message says how many hosts there are; full samples only for cards.
  const { snapshot, sparks } = useFleet();
  const count = snapshot?.hosts.length ?? 0;

  return (
    <main className="mx-auto max-w-[1600px] space-y-8 px-4 py-6">
      <section aria-labelledby="runs-heading">
        <h2 id="runs-heading" className="mb-3 text-sm font-semibold uppercase tracking-wide text-muted">
          {t('activeRuns')}
        </h2>
        <ActiveRuns initial={activeRuns} now={now} />
      </section>

      <section aria-labelledby="hosts-heading">
        <h2 id="hosts-heading" className="mb-3 text-sm font-semibold uppercase tracking-wide text-muted">
          {t('hosts')}
        </h2>
        {count === 0 ? (
          <p className="rounded-xl border border-dashed border-line p-6 text-sm text-muted">
            {!snapshot ? t('loadingHosts') : t.rich('noHosts', { code: codeTag('font-mono') })}
          </p>
        ) : count <= CARDS_UP_TO ? (
          <SmallFleet />
        ) : (
          <FleetView snapshot={snapshot!} sparks={sparks} />
        )}
      </section>
    </main>
  );
}
