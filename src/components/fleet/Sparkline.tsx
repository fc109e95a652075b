'use client';
import { useEffect, useRef } from 'react';

/** A tiny line of the last minute (0..100), redrawn when `version` changes. */
export function Sparkline({
  values,
  version,
  width = 96,
  height = 20,
}: {
  values: number[];
  version: number;
  width?: number;
  height?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    // Resizing clears and reallocates the canvas: only when the size changed.
    if (c.width !== width * dpr || c.height !== height * dpr) [c.width, c.height] = [width * dpr, height * dpr];
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    if (values.length < 2) return;
    ctx.strokeStyle = '#2dd4bf';
    ctx.lineWidth = 1.25;
    ctx.beginPath();
    values.forEach((v, i) => {
      const x = (i / (values.length - 1)) * (width - 2) + 1;
      const y = height - 1 - (Math.max(0, Math.min(100, v)) / 100) * (height - 2);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
  }, [values, version, width, height]);
  return <canvas ref={canvas} style={{ width, height }} aria-hidden />;
}
