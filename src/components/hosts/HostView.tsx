'use client';
/** /hosts/<name>: the host's history over a zoomable range, and its newest sample in full, live. */
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { SystemSample } from '@/shared/systemSample';
import { api } from '@/trpc/react';
import { useFormat } from '../useFormat';
import { useNow } from '../useNow';
import { HostDetails } from './HostDetails';
import { HostHistory } from './HostHistory';
import { bounds, pan, PRESETS, zoom, type HostRange } from './hostRange';

const button = 'rounded-md border border-line px-2 py-0.5 text-xs hover:text-fg';

/** The range's steps: half a span back or on, half or twice the span. */
const STEPS: {
  words: 'earlier' | 'later' | 'zoomIn' | 'zoomOut';
  glyph: string;
  move: (r: HostRange, now: number) => HostRange;
}[] = [
  { words: 'earlier', glyph: '←', move: (r, now) => pan(r, -0.5, now) },
  { words: 'later', glyph: '→', move: (r, now) => pan(r, 0.5, now) },
  { words: 'zoomIn', glyph: '+', move: (r, now) => zoom(r, 0.5, now) },
  { words: 'zoomOut', glyph: '−', move: (r, now) => zoom(r, 2, now) },
];

export function HostView({ host }: { host: string }) {
  const t = useTranslations('hostPage');
  const th = useTranslations('host');
  const fmt = useFormat();
  const now = useNow();
  const [range, setRange] = useState<HostRange>({ spanMs: 3_600_000, endMs: null });
  const [latest, setLatest] = useState<SystemSample | null>(null);
  // Full samples of this host only.
  api.system.live.useSubscription({ host }, { onData: (s) => setLatest(s) });
  const online = latest ? now - Date.parse(latest.timestamp) < 6000 : false;
  // A live range moves on in whole 5 s steps, so the history query is not new every second.
  const { from, to } = bounds(range, Math.floor(now / 5000) * 5000);

  return (
    <main className="mx-auto max-w-[1600px] space-y-4 px-4 py-6">
      <header className="flex flex-wrap items-center gap-3">
        <h1 className="text-lg font-semibold" data-testid="host-name" translate="no">
          {host}
        </h1>
        <span
          className={`rounded-full px-2 py-0.5 text-xs ${online ? 'bg-emerald-500/15 text-emerald-500' : 'bg-zinc-500/15 text-muted'}`}
        >
          {online ? th('online') : th('offline')}
        </span>
        {latest?.labels &&
          Object.entries(latest.labels).map(([k, v]) => (
            <span key={k} className="rounded bg-bg px-1.5 py-0.5 font-mono text-xs text-muted" translate="no">
              {k}={v}
            </span>
          ))}
        <span className="ml-auto flex flex-wrap items-center gap-1" aria-label={t('timeRange')}>
          {PRESETS.map((spanMs) => (
            <button
              key={spanMs}
              type="button"
              title={t('preset', { span: fmt.span(spanMs) })}
              aria-pressed={range.spanMs === spanMs && range.endMs === null}
              className={`${button} ${range.spanMs === spanMs && range.endMs === null ? 'border-accent' : ''}`}
              onClick={() => setRange({ spanMs, endMs: null })}
            >
              {fmt.span(spanMs)}
            </button>
          ))}
          {STEPS.map(({ words, glyph, move }) => (
            <button
              key={words}
              type="button"
              className={button}
              aria-label={t(words)}
              onClick={() => setRange((r) => move(r, Date.now()))}
            >
              {glyph}
            </button>
          ))}
        </span>
      </header>
      <p className="text-xs text-muted" data-testid="host-range">
        {fmt.dateTimeFull(from)} – {range.endMs === null ? t('nowLive') : fmt.dateTimeFull(to)}
      </p>
      <HostHistory host={host} from={from} to={to} live={range.endMs === null} />
      {latest ? <HostDetails sample={latest} /> : <p className="text-sm text-muted">{t('waiting')}</p>}
    </main>
  );
}
