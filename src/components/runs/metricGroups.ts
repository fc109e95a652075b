/** How metric names are grouped into charts and which one a run is judged by. */

/** A group's title is the message `metrics.groups.<id>`. */
export type MetricGroupId = 'loss' | 'quality' | 'lr' | 'other';

export interface MetricGroup {
  id: MetricGroupId;
  names: string[];
}

const GROUPS: { id: MetricGroupId; test: RegExp }[] = [
  { id: 'loss', test: /loss/i },
  { id: 'quality', test: /map|acc|precision|recall|f1|iou|dice|auc/i },
  { id: 'lr', test: /(^|[^a-z])lr([^a-z]|$)|learning.?rate/i },
];

/** Names grouped by kind, in a stable order; names matching nothing go to "Other". */
export function groupMetrics(names: string[]): MetricGroup[] {
  const out: MetricGroup[] = GROUPS.map((g) => ({ id: g.id, names: [] }));
  const other: string[] = [];
  for (const name of [...names].sort()) {
    const i = GROUPS.findIndex((g) => g.test.test(name));
    if (i >= 0) out[i]!.names.push(name);
    else other.push(name);
  }
  if (other.length) out.push({ id: 'other', names: other });
  return out.filter((g) => g.names.length > 0);
}

/** Whether a larger value is better (accuracy, mAP) or a smaller one (loss, error). */
export function higherIsBetter(name: string): boolean {
  return !/loss|err|perplexity|wer|cer|mse|mae|rmse/i.test(name);
}

const MAIN_ORDER = [/map.?50.?95|map_0\.5:0\.95/i, /map/i, /acc/i, /f1|iou|dice/i, /val.*loss/i, /loss/i];

/** The metric a run is judged by: mAP50-95 if reported, else mAP, accuracy, validation loss... */
export function mainMetric(names: string[]): string | null {
  for (const re of MAIN_ORDER) {
    const hit = [...names].sort().find((n) => re.test(n));
    if (hit) return hit;
  }
  return names[0] ?? null;
}

/** Up to `n` names worth showing in a list: the main metric, then losses and quality metrics. */
export function keyMetrics(names: string[], n = 3): string[] {
  const main = mainMetric(names);
  const rest = groupMetrics(names)
    .filter((g) => g.id !== 'lr')
    .flatMap((g) => g.names)
    .filter((x) => x !== main);
  return [...(main ? [main] : []), ...rest].slice(0, n);
}
