'use client';
/**
 * The fleet history's cells on one canvas with one pixel per host and bucket, scaled up by
 * the browser without smoothing: 1,000 hosts x 300 buckets is one ImageData written in one
 * pass (timed as the `fleet-heatmap-draw` measure). Hover names host, time and value; a
 * click opens the host.
 */
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FleetHistory } from '@/shared/fleetHistory';
import type { Format } from '../format';
import { useFormat } from '../useFormat';
import { bucketSpan, cellAt, HEAT_MAX_HEIGHT, rowHeight } from './heatmapLayout';
import { paintHeatmap, type HeatUnit } from './heatmapScale';

const DRAW_MEASURE = 'fleet-heatmap-draw';

export function formatHeat(fmt: Format, unit: HeatUnit, v: number | null | undefined): string {
  return unit === 'percent' ? fmt.percent(v) : unit === 'celsius' ? fmt.measure(v, '°C') : fmt.watts(v);
}

interface Props {
  history: FleetHistory;
  /** Host names, top to bottom. */
  rows: string[];
  cols: number;
  min: number;
  max: number;
  unit: HeatUnit;
  metricName: string;
}

export function HeatmapCanvas({ history, rows, cols, min, max, unit, metricName }: Props) {
  const t = useTranslations('fleet.history');
  const fmt = useFormat();
  const router = useRouter();
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<{ x: number; y: number; w: number; row: number; col: number } | null>(null);
  const byHost = useMemo(() => new Map(history.hosts.map((h) => [h.host, h.values])), [history]);
  const rowH = rowHeight(rows.length);
  const height = rows.length * rowH;

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx || rows.length === 0) return;
    const start = performance.now();
    c.width = cols;
    c.height = rows.length;
    const image = ctx.createImageData(cols, rows.length);
    paintHeatmap(
      rows.map((host) => byHost.get(host)),
      cols,
      min,
      max,
      image.data,
    );
    ctx.putImageData(image, 0, 0);
    performance.measure(DRAW_MEASURE, { start, end: performance.now() });
  }, [rows, cols, byHost, min, max]);

  const at = (e: React.MouseEvent) => {
    const rect = canvas.current!.getBoundingClientRect();
    const outer = box.current!.getBoundingClientRect();
    const cell = cellAt(e.clientX - rect.left, e.clientY - rect.top, { width: rect.width, rowH, rows: rows.length, cols });
    return cell && { ...cell, x: e.clientX - outer.left, y: e.clientY - outer.top, w: outer.width };
  };

  const host = hover ? rows[hover.row] : undefined;
  const span = hover ? bucketSpan(history, hover.col) : null;
  const value = hover && host ? byHost.get(host)?.[hover.col] : null;
  return (
    <div ref={box} className="relative">
      <div className="overflow-y-auto" style={{ maxHeight: HEAT_MAX_HEIGHT }} onScroll={() => setHover(null)}>
        <canvas
          ref={canvas}
          data-testid="fleet-heatmap-canvas"
          role="img"
          aria-label={t('canvas', { count: rows.length, metric: metricName })}
          style={{ width: '100%', height, imageRendering: 'pixelated', display: 'block', cursor: hover ? 'pointer' : 'default' }}
          onMouseMove={(e) => setHover(at(e))}
          onMouseLeave={() => setHover(null)}
          onClick={(e) => {
            const hit = at(e);
            const name = hit && rows[hit.row];
            if (name) router.push(`/hosts/${encodeURIComponent(name)}`);
          }}
        />
      </div>
      {hover && host && span && (
        <div
          data-testid="fleet-heatmap-tooltip"
          className="pointer-events-none absolute z-10 rounded-md border border-line bg-panel px-2 py-1 text-xs shadow-lg"
          style={{
            left: Math.min(hover.x + 12, Math.max(0, hover.w - 220)),
            // Below the pointer, or above it near the box's bottom edge.
            top: hover.y + 60 > Math.min(height, HEAT_MAX_HEIGHT) ? Math.max(0, hover.y - 60) : hover.y + 14,
          }}
        >
          <div className="font-medium" translate="no">
            {host}
          </div>
          <div className="text-muted">
            {t('bucket', { start: fmt.dateTime(new Date(span.start)), span: fmt.span(history.bucketMs) })}
          </div>
          <div className="font-mono tabular-nums">
            {metricName} {value === null || value === undefined ? t('noData') : formatHeat(fmt, unit, value)}
          </div>
        </div>
      )}
    </div>
  );
}
