'use client';
import { useTranslations } from 'next-intl';

/** The EMA smoothing control shared by the run's charts and the comparison. */
export function SmoothingSlider({ value, onChange }: { value: number; onChange: (value: number) => void }) {
  const t = useTranslations('smoothing');
  return (
    <label className="flex items-center gap-2 text-xs text-muted">
      {t('label')}
      <input
        type="range"
        min={0}
        max={0.99}
        step={0.01}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
        aria-label={t('aria')}
        className="w-28 accent-[var(--accent)]"
      />
      <span className="w-8 font-mono tabular-nums text-fg">{value.toFixed(2)}</span>
    </label>
  );
}
