'use client';
/**
 * One cell per GPU of every host shown, drawn on one canvas (a thousand hosts are 8,000
 * cells: DOM nodes or a canvas each would stall the page). Each host is a block of its
 * GPUs; blocks wrap to the width. Hover names the GPU and its numbers, a click opens the host.
 */
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { FLEET_GPU_VALUES, type FleetHost } from '@/shared/fleet';
import { useFormat } from '../useFormat';
import { GRID_METRICS, OFFLINE_COLOR, scaleColor, type GridMetric } from './gpuColors';

const CELL = 12;
const GAP = 1;
const HOST_GAP = 6;

interface Layout {
  cols: number;
  blockW: number;
  perHost: number;
}

function layout(width: number, hosts: FleetHost[]): Layout {
  const perHost = Math.max(1, ...hosts.map((h) => h.gpu.length / FLEET_GPU_VALUES));
  const blockW = perHost * CELL + HOST_GAP;
  return { cols: Math.max(1, Math.floor((width + HOST_GAP) / blockW)), blockW, perHost };
}

/**
 * Every cell, a colour at a time: setting a canvas's fill style parses the colour, and 8,000
 * cells share about a hundred colours.
 */
function draw(
  c: HTMLCanvasElement,
  hosts: FleetHost[],
  width: number,
  height: number,
  cols: number,
  blockW: number,
  metric: GridMetric,
) {
  const ctx = c.getContext('2d');
  if (!ctx) return;
  const m = GRID_METRICS.find((g) => g.key === metric)!;
  const dpr = window.devicePixelRatio || 1;
  const [w, h] = [Math.round(width * dpr), Math.round(height * dpr)];
  // Resizing clears and reallocates the canvas: only when the size changed.
  if (c.width !== w || c.height !== h) [c.width, c.height] = [w, h];
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const byColor = new Map<string, number[]>();
  const colors = new Map<number | null | undefined, string>();
  hosts.forEach((h, i) => {
    const x0 = (i % cols) * blockW;
    const y0 = Math.floor(i / cols) * (CELL + HOST_GAP);
    const gpus = h.gpu.length / FLEET_GPU_VALUES;
    for (let g = 0; g < Math.max(1, gpus); g++) {
      // A host without GPUs shows one cell, its CPU.
      const value = gpus === 0 ? (metric === 'util' ? h.cpuUtil : null) : h.gpu[g * FLEET_GPU_VALUES + m.index];
      let color = h.online ? colors.get(value) : OFFLINE_COLOR;
      if (color === undefined) colors.set(value, (color = scaleColor(value, m.min, m.max)));
      let cells = byColor.get(color);
      if (!cells) byColor.set(color, (cells = []));
      cells.push(x0 + g * CELL, y0);
    }
  });
  for (const [color, cells] of byColor) {
    ctx.fillStyle = color;
    for (let i = 0; i < cells.length; i += 2) ctx.fillRect(cells[i]!, cells[i + 1]!, CELL - GAP, CELL - GAP);
  }
}

export function GpuGrid({ hosts, metric }: { hosts: FleetHost[]; metric: GridMetric }) {
  const t = useTranslations('fleet');
  const th = useTranslations('host');
  const fmt = useFormat();
  const router = useRouter();
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const [hover, setHover] = useState<{ x: number; y: number; host: FleetHost; gpu: number } | null>(null);
  const l = layout(width, hosts);
  const rows = Math.ceil(hosts.length / l.cols);
  const height = Math.max(CELL, rows * (CELL + HOST_GAP));

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // The width from the observer (its first report comes with the first layout), not read
    // here: reading clientWidth in an effect forces the page's layout inside React's commit.
    const observer = new ResizeObserver(([entry]) => setWidth(Math.round(entry!.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const c = canvas.current;
    if (!c || width === 0) return;
    // Drawn in the next frame, apart from the commit that brought the numbers.
    const frame = requestAnimationFrame(() => draw(c, hosts, width, height, l.cols, l.blockW, metric));
    return () => cancelAnimationFrame(frame);
  }, [hosts, width, height, l.cols, l.blockW, metric]);

  const at = (e: React.MouseEvent) => {
    const rect = canvas.current!.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const col = Math.floor(x / l.blockW);
    const row = Math.floor(y / (CELL + HOST_GAP));
    const gpu = Math.floor((x - col * l.blockW) / CELL);
    const host = hosts[row * l.cols + col];
    if (!host || col >= l.cols || y - row * (CELL + HOST_GAP) >= CELL) return null;
    if (gpu >= Math.max(1, host.gpu.length / FLEET_GPU_VALUES)) return null;
    return { x, y, host, gpu };
  };

  const hovered = hover ? hover.host.gpu.slice(hover.gpu * FLEET_GPU_VALUES, hover.gpu * FLEET_GPU_VALUES + 3) : [];
  return (
    <div ref={box} className="relative">
      <canvas
        ref={canvas}
        data-testid="gpu-grid"
        role="img"
        aria-label={t('grid', { count: hosts.length, metric })}
        style={{ width: '100%', height, cursor: hover ? 'pointer' : 'default' }}
        onMouseMove={(e) => setHover(at(e))}
        onMouseLeave={() => setHover(null)}
        onClick={(e) => {
          const hit = at(e);
          if (hit) router.push(`/hosts/${encodeURIComponent(hit.host.host)}`);
        }}
      />
      {hover && (
        <div
          data-testid="gpu-grid-tooltip"
          className="pointer-events-none absolute z-10 rounded-md border border-line bg-panel px-2 py-1 text-xs shadow-lg"
          style={{ left: Math.min(hover.x + 12, Math.max(0, width - 180)), top: hover.y + 14 }}
        >
          <div className="font-medium">
            <span translate="no">{hover.host.host}</span> · {hover.host.gpu.length ? th('gpu', { id: hover.gpu }) : th('cpu')}
            {!hover.host.online && ` ${t('offlineMark')}`}
          </div>
          {hover.host.gpu.length ? (
            <div className="font-mono tabular-nums text-muted">
              {t('cellGpu', {
                util: fmt.percent(hovered[0]),
                mem: fmt.percent(hovered[1]),
                temp: fmt.measure(hovered[2], '°C'),
              })}
            </div>
          ) : (
            <div className="font-mono tabular-nums text-muted">
              {th('cpu')} {fmt.percent(hover.host.cpuUtil)}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
