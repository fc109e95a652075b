/**
 * A run's status changes as dashed vertical lines on a metric chart (chartjs-plugin-annotation
 * options), each labelled with the new status; an alert's link adds its own marker.
 */
import type { StatusChangeEntry } from '@/shared/types';
import type { SessionStatus } from '@/shared/vocabulary';
import { alertMarker } from './alertMarker';
import { withAlpha } from './chartjs';

const STATUS_COLOR: Record<string, string> = {
  running: '#38bdf8',
  paused: '#f59e0b',
  completed: '#10b981',
  failed: '#ef4444',
  stopped: '#d946ef',
  queued: '#71717a',
};

export function statusAnnotations({
  statuses,
  xOf,
  statusName,
  alert,
}: {
  statuses: StatusChangeEntry[];
  /** Where a change falls on the axis shown, or null where it cannot be placed. */
  xOf: (change: StatusChangeEntry) => number | null;
  statusName: (status: SessionStatus) => string;
  /** An alert's time and label, marked when the axis is wall time. */
  alert?: { at: number; label: string };
}): Record<string, object> {
  const annotations: Record<string, object> = {};
  for (const sc of statuses) {
    // The first entry is the run's start, not a change.
    if (sc.previousStatus === null) continue;
    const x = xOf(sc);
    if (x === null) continue;
    const col = STATUS_COLOR[sc.status] ?? '#888';
    annotations[`s${sc.seq}`] = {
      type: 'line',
      scaleID: 'x',
      value: x,
      borderColor: withAlpha(col, 0.8),
      borderWidth: 1,
      borderDash: [4, 3],
      label: {
        display: true,
        content: statusName(sc.status),
        position: 'start',
        backgroundColor: withAlpha(col, 0.85),
        color: '#fff',
        font: { size: 10 },
        padding: 3,
      },
    };
  }
  if (alert) annotations.alert = alertMarker(alert.at, alert.label);
  return annotations;
}
