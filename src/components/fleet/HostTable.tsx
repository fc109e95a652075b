'use client';
/**
 * Every host of the filter in one virtualised table (only the rows on screen are in the
 * DOM): sortable columns, a sparkline of the last minute's mean GPU utilisation, offline
 * hosts folded into one row until opened.
 */
import { elementScroll, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useMemo, useRef, useState } from 'react';
import { FLEET_GPU_VALUES, type FleetHost } from '@/shared/fleet';
import { useFormat } from '../useFormat';
import { compareNames, onlineFirst } from './hostOrder';
import { meanGpuUtil } from './useFleet';
import { Sparkline } from './Sparkline';

const ROW = 36;
/** The body's height (its class h-[480px]). */
const BODY_HEIGHT = 480;

/**
 * The body's size as the resize observer reports it (the virtualizer's own reads clientWidth
 * when it mounts, forcing the whole new page's layout inside React's commit).
 */
const observeBodyRect = (
  instance: Virtualizer<HTMLDivElement, Element>,
  cb: (rect: { width: number; height: number }) => void,
) => {
  const el = instance.scrollElement;
  if (!el) return;
  const observer = new ResizeObserver(([entry]) =>
    cb({ width: Math.round(entry!.contentRect.width), height: Math.round(entry!.contentRect.height) }),
  );
  observer.observe(el);
  return () => observer.disconnect();
};

/** Bodies the virtualizer has scrolled. */
const written = new WeakSet<Element>();
/**
 * The virtualizer's scrolling, less its first write: on mount it scrolls the new body to 0,
 * where a new element already is, and the write forces the page's layout inside the commit.
 */
const scrollBody: typeof elementScroll<HTMLDivElement> = (offset, options, instance) => {
  const el = instance.scrollElement;
  if (el && !written.has(el)) {
    written.add(el);
    if (offset === 0 && !instance.scrollOffset) return;
  }
  elementScroll(offset, options, instance);
};

type SortKey = 'host' | 'cpu' | 'ram' | 'gpus' | 'util' | 'temp' | 'power';

const maxTemp = (h: FleetHost) => {
  let t = -Infinity;
  for (let i = 2; i < h.gpu.length; i += FLEET_GPU_VALUES) t = Math.max(t, h.gpu[i] ?? -Infinity);
  return Number.isFinite(t) ? t : null;
};

const SORTS: Record<SortKey, (h: FleetHost) => number | string> = {
  host: (h) => h.host,
  cpu: (h) => h.cpuUtil,
  ram: (h) => h.ramPercent,
  gpus: (h) => h.gpu.length / FLEET_GPU_VALUES,
  util: meanGpuUtil,
  temp: (h) => maxTemp(h) ?? -1,
  power: (h) => h.powerW ?? -1,
};

/** Headers are in the messages (`fleet.columns.<key>`; the CPU one is `host.cpu`). */
const COLUMNS: { key: SortKey; className: string }[] = [
  { key: 'host', className: 'w-56' },
  { key: 'cpu', className: 'w-16 text-right' },
  { key: 'ram', className: 'w-16 text-right' },
  { key: 'gpus', className: 'w-14 text-right' },
  { key: 'util', className: 'w-44' },
  { key: 'temp', className: 'w-20 text-right' },
  { key: 'power', className: 'w-20 text-right' },
];

type Row = { kind: 'host'; host: FleetHost } | { kind: 'offline'; count: number };

export function HostTable({ hosts, sparks, version }: { hosts: FleetHost[]; sparks: Map<string, number[]>; version: number }) {
  const t = useTranslations('fleet');
  const th = useTranslations('host');
  const fmt = useFormat();
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'host', desc: false });
  const [showOffline, setShowOffline] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);

  const rows = useMemo<Row[]>(() => {
    const by = SORTS[sort.key];
    const cmp = (a: FleetHost, b: FleetHost) => {
      const [x, y] = [by(a), by(b)];
      const c = typeof x === 'string' ? compareNames(x, y as string) : x - (y as number);
      return sort.desc ? -c : c;
    };
    const { online, offline } = onlineFirst(hosts, cmp);
    const out: Row[] = online.map((host) => ({ kind: 'host', host }));
    if (offline.length) out.push({ kind: 'offline', count: offline.length });
    if (showOffline) for (const host of offline) out.push({ kind: 'host', host });
    return out;
  }, [hosts, sort, showOffline]);

  // TanStack Virtual is not memoisable by the React Compiler; this component re-renders with it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    initialRect: { width: 0, height: BODY_HEIGHT },
    observeElementRect: observeBodyRect,
    scrollToFn: scrollBody,
    overscan: 10,
  });

  return (
    <div className="rounded-xl border border-line bg-panel" data-testid="host-table">
      <div className="flex border-b border-line px-3 py-2 text-xs font-medium uppercase tracking-wide text-muted" role="row">
        {COLUMNS.map((c) => (
          <button
            key={c.key}
            type="button"
            role="columnheader"
            aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
            className={`${c.className} shrink-0 px-1 hover:text-fg`}
            onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : c.key !== 'host' }))}
          >
            {c.key === 'cpu' ? th('cpu') : t(`columns.${c.key}`)}
            {sort.key === c.key ? (sort.desc ? ' ↓' : ' ↑') : ''}
          </button>
        ))}
        <span className="min-w-0 flex-1 px-1">{t('columns.labels')}</span>
      </div>
      <div ref={scroller} className="h-[480px] overflow-auto" data-testid="host-table-body">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            const style = {
              position: 'absolute' as const,
              top: 0,
              left: 0,
              right: 0,
              height: ROW,
              transform: `translateY(${item.start}px)`,
            };
            if (row.kind === 'offline') {
              return (
                <button
                  key="offline"
                  type="button"
                  style={style}
                  data-testid="offline-toggle"
                  className="flex items-center border-b border-line px-4 text-left text-sm text-muted hover:bg-bg/40"
                  onClick={() => setShowOffline((v) => !v)}
                >
                  {showOffline ? '▾' : '▸'} {t('offlineHosts', { count: row.count })}
                </button>
              );
            }
            const h = row.host;
            const util = meanGpuUtil(h);
            const temp = maxTemp(h);
            return (
              <div
                key={h.host}
                style={style}
                role="row"
                data-testid="host-row"
                className={`flex items-center border-b border-line/60 px-3 text-sm ${h.online ? '' : 'text-faint'}`}
              >
                <span className="w-56 shrink-0 truncate px-1" translate="no">
                  <span className={`mr-2 inline-block size-2 rounded-full ${h.online ? 'bg-emerald-500' : 'bg-zinc-500'}`} />
                  <Link href={`/hosts/${encodeURIComponent(h.host)}`} className="hover:underline">
                    {h.host}
                  </Link>
                </span>
                <span className="w-16 shrink-0 px-1 text-right font-mono tabular-nums">
                  {fmt.percent(h.online ? h.cpuUtil : null)}
                </span>
                <span className="w-16 shrink-0 px-1 text-right font-mono tabular-nums">
                  {fmt.percent(h.online ? h.ramPercent : null)}
                </span>
                <span className="w-14 shrink-0 px-1 text-right font-mono tabular-nums">
                  {fmt.count(h.gpu.length / FLEET_GPU_VALUES)}
                </span>
                <span className="flex w-44 shrink-0 items-center gap-2 px-1">
                  <Sparkline values={sparks.get(h.host) ?? []} version={version} />
                  <span className="font-mono tabular-nums">{fmt.percent(h.online ? util : null)}</span>
                </span>
                <span className="w-20 shrink-0 px-1 text-right font-mono tabular-nums">
                  {fmt.measure(h.online ? temp : null, '°C')}
                </span>
                <span className="w-20 shrink-0 px-1 text-right font-mono tabular-nums">
                  {fmt.watts(h.online ? h.powerW : null)}
                </span>
                <span className="min-w-0 flex-1 truncate px-1 text-xs text-muted" translate="no">
                  {Object.entries(h.labels)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(' ')}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
