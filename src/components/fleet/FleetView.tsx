'use client';
/** The fleet at scale: summary, GPU grid and host table from the compact fleet message; the fleet's history below the grid. */
import { useTranslations } from 'next-intl';
import { useMemo, useState } from 'react';
import type { FleetSnapshot } from '@/shared/fleet';
import { labelPairs, matches, type FleetFilter } from './fleetFilter';
import { FleetHeatmap } from './FleetHeatmap';
import { FleetSummary } from './FleetSummary';
import { GRID_METRICS, type GridMetric } from './gpuColors';
import { GpuGrid } from './GpuGrid';
import { HostTable } from './HostTable';
import { SearchInput } from '../SearchInput';
import { Segmented } from '../Segmented';
import { useFormat } from '../useFormat';

export function FleetView({ snapshot, sparks }: { snapshot: FleetSnapshot; sparks: Map<string, number[]> }) {
  const t = useTranslations('fleet');
  const fmt = useFormat();
  const [filter, setFilter] = useState<FleetFilter>({ text: '', label: '' });
  const [metric, setMetric] = useState<GridMetric>('util');
  const labels = useMemo(() => labelPairs(snapshot.hosts), [snapshot.hosts]);
  const shown = useMemo(() => snapshot.hosts.filter((h) => matches(h, filter)), [snapshot.hosts, filter]);
  // Online hosts first in the grid: a long tail of grey cells comes after what is running.
  const gridHosts = useMemo(() => [...shown.filter((h) => h.online), ...shown.filter((h) => !h.online)], [shown]);

  return (
    <div className="space-y-4" data-testid="fleet-view">
      <FleetSummary hosts={shown} />
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <SearchInput
          value={filter.text}
          onChange={(text) => setFilter((f) => ({ ...f, text }))}
          placeholder={t('search')}
          label={t('searchLabel')}
          className="w-64 rounded-md border border-line bg-bg px-2 py-1"
        />
        <select
          aria-label={t('filterByLabel')}
          value={filter.label}
          onChange={(e) => setFilter((f) => ({ ...f, label: e.target.value }))}
          className="rounded-md border border-line bg-bg px-2 py-1"
        >
          <option value="">{t('allLabels')}</option>
          {labels.map((l) => (
            <option key={l} value={l} translate="no">
              {l}
            </option>
          ))}
        </select>
        <span className="text-muted" data-testid="fleet-shown">
          {t('shown', { shown: fmt.count(shown.length), total: fmt.count(snapshot.hosts.length) })}
        </span>
        <Segmented
          look="chips"
          className="ml-auto"
          label={t('colourBy')}
          value={metric}
          options={GRID_METRICS.map((m) => ({ id: m.key, label: t(`metrics.${m.key}`) }))}
          onChange={setMetric}
        />
      </div>
      <div className="rounded-xl border border-line bg-panel p-3">
        <GpuGrid hosts={gridHosts} metric={metric} />
      </div>
      <FleetHeatmap hosts={shown} />
      <HostTable hosts={shown} sparks={sparks} version={snapshot.t} />
    </div>
  );
}
