/**
 * Rules over a run's stored events: metric thresholds, plateaus, NaN and infinities, status
 * changes. Pure functions of a rule, an event and (for plateaus) what the rule remembers,
 * returning the conditions they find; the evaluator raises or resolves them.
 */
import type { MetricReport, SessionEvent } from '../../../shared/types';
import type { Condition } from './alertTypes';
import { compare, scopeMatchesRun, type AlertRule } from '../../../shared/schemas/alertRules';

/** Best value so far and its epoch, per rule, run and metric (metric_plateau). */
export type PlateauMemory = Map<string, { best: number; bestEpoch: number }>;

const fmt = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v));

/**
 * `anyOpen` false (the rule has no open alert anywhere, the usual case) lets a report that
 * meets no condition cost no allocation: there is nothing it could resolve.
 */
export function evaluateRunEvent(
  rule: AlertRule,
  run: string,
  event: SessionEvent,
  plateaus: PlateauMemory,
  anyOpen = true,
): Condition[] {
  if (!scopeMatchesRun(rule.scope, run)) return [];
  const p = rule.params;
  if (event.type === 'status') {
    if (p.kind !== 'status_change') return [];
    const { status, previousStatus, timestamp } = event.data;
    return [
      {
        ruleId: rule.id,
        subject: `run:${run}`,
        active: p.to.includes(status),
        run,
        message: `status ${previousStatus ?? 'none'} → ${status}${event.data.message ? `: ${event.data.message}` : ''}`,
        at: timestamp,
      },
    ];
  }
  if (event.type !== 'metrics') return [];
  const report = event.data;
  switch (p.kind) {
    case 'metric_non_finite':
      return Object.entries(report.values)
        .filter(([name, value]) => (p.metric === undefined || p.metric === name) && (anyOpen || !Number.isFinite(value)))
        .map(([name, value]) =>
          metricCondition(rule.id, run, name, report, value, !Number.isFinite(value), () => `${name} is ${fmt(value)}`),
        );
    case 'metric_threshold': {
      const value = report.values[p.metric];
      if (value === undefined) return [];
      const active =
        Number.isFinite(value) && (p.afterEpoch === undefined || report.epoch >= p.afterEpoch) && compare(value, p.op, p.value);
      if (!active && !anyOpen) return [];
      const words = { above: '>', below: '<', at_least: '≥', at_most: '≤' }[p.op];
      return [
        metricCondition(rule.id, run, p.metric, report, value, active, () => `${p.metric} = ${fmt(value)} ${words} ${p.value}`),
      ];
    }
    case 'metric_plateau': {
      const value = report.values[p.metric];
      if (value === undefined || !Number.isFinite(value)) return [];
      const key = `${rule.id}|${run}|${p.metric}`;
      const memory = plateaus.get(key);
      const better = !memory || (p.goal === 'min' ? value < memory.best : value > memory.best);
      if (better) plateaus.set(key, { best: value, bestEpoch: report.epoch });
      const best = plateaus.get(key)!;
      const stale = report.epoch - best.bestEpoch;
      if (stale < p.epochs && !anyOpen) return [];
      return [
        metricCondition(
          rule.id,
          run,
          p.metric,
          report,
          value,
          stale >= p.epochs,
          () => `${p.metric} has not improved for ${stale} epochs (best ${fmt(best.best)} at epoch ${best.bestEpoch})`,
        ),
      ];
    }
    default:
      return [];
  }
}

function metricCondition(
  ruleId: number,
  run: string,
  metric: string,
  report: MetricReport,
  value: number,
  active: boolean,
  describe: () => string,
): Condition {
  return {
    ruleId,
    subject: `run:${run}/${metric}`,
    active,
    run,
    value,
    // Only a raised alert shows its message: none is built for the many that change nothing.
    message: active ? `${describe()} (epoch ${report.epoch}${report.step !== null ? `, step ${report.step}` : ''})` : '',
    at: report.timestamp,
  };
}
