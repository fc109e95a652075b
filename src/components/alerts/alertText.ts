/**
 * What the alerts UI says about a rule or an alert, as message keys and values under
 * `alerts`: the server stores its texts in English (for webhooks), the page rebuilds them
 * in its language from the rule's kind and values.
 */
import { DEFAULT_RULES } from '@/shared/defaultAlertRules';
import type { RouterOutputs } from '@/trpc/react';
import type { Format } from '../format';
import type { Alert } from './useAlerts';

export type Rule = RouterOutputs['alert']['rules'][number];
/** A value is shown as is, or is itself a message (a status, a metric's name). */
export type Values = Record<string, string | number | { key: string }>;
/** A message (its full key), or text shown as the server wrote it. */
export type Text = { key: string; values: Values } | { raw: string };

/** Comparison signs read the same in every language. */
const OPS = { above: '>', below: '<', at_least: '≥', at_most: '≤' } as const;
const HOST_UNITS: Record<string, string> = { gpu_temp: ' °C', gpu_power: ' W' };
const statusKey = (s: string) => ({ key: s === 'none' ? 'alerts.message.none' : `status.${s}` });
const unitOf = (metric: string) => HOST_UNITS[metric] ?? '%';

/** A default rule's message key while it keeps its default name; a renamed one is the user's. */
export function builtinNameKey(rule: Pick<Rule, 'builtin' | 'name'>): string | null {
  const known = DEFAULT_RULES.find((d) => d.builtin === rule.builtin);
  return known && known.name === rule.name ? `alerts.builtin.${known.builtin}` : null;
}

/** What a rule checks, in a line. `statuses` names run statuses in the page's language. */
export function conditionText(rule: Rule, fmt: Format, statuses: (s: string[]) => string): Text {
  const p = rule.params;
  switch (p.kind) {
    case 'metric_threshold':
      return {
        key: 'alerts.condition.threshold',
        values: { metric: p.metric, op: OPS[p.op], value: fmt.metric(p.value), fromEpoch: p.afterEpoch ?? 'none' },
      };
    case 'metric_plateau':
      return {
        key: 'alerts.condition.plateau',
        values: { metric: p.metric, goal: { key: `alerts.goals.${p.goal}` }, epochs: p.epochs },
      };
    case 'metric_non_finite':
      return p.metric
        ? { key: 'alerts.condition.nonFinite', values: { metric: p.metric } }
        : { key: 'alerts.condition.nonFiniteAny', values: {} };
    case 'status_change':
      return { key: 'alerts.condition.status', values: { statuses: statuses(p.to) } };
    case 'run_stalled':
      return { key: 'alerts.condition.stalled', values: {} };
    case 'host_offline':
      return { key: 'alerts.condition.offline', values: { seconds: p.afterSeconds } };
    case 'host_metric':
      return {
        key: 'alerts.condition.hostMetric',
        values: {
          metric: { key: `alerts.hostMetrics.${p.metric}` },
          op: OPS[p.op],
          value: `${fmt.metric(p.value)}${unitOf(p.metric).trim()}`,
          seconds: p.forSeconds,
          whileRunning: p.whileRunning ? 'yes' : 'no',
        },
      };
  }
}

/** Where a rule applies: its parts, each a message, or "all". */
export function scopeTexts(rule: Rule): { key: string; values: Values }[] {
  const s = rule.scope;
  const parts: { key: string; values: Values }[] = [];
  if (s.run) parts.push({ key: 'alerts.scope.run', values: { run: s.run } });
  if (s.runPattern) parts.push({ key: 'alerts.scope.runs', values: { pattern: s.runPattern } });
  if (s.host) parts.push({ key: 'alerts.scope.host', values: { host: s.host } });
  return parts.length ? parts : [{ key: 'alerts.scope.all', values: {} }];
}

/** The metric an alert's subject names: `run:<id>/<metric>`, `host:<name>/gpu0/<metric>`. */
function subjectParts(subject: string): { gpu: string; metric: string } {
  const [, ...rest] = subject.split('/');
  const gpu = rest.length > 1 && rest[0]?.startsWith('gpu') ? rest[0].slice(3) : 'none';
  return { gpu, metric: rest.slice(gpu === 'none' ? 0 : 1).join('/') };
}

/**
 * An alert's message in the page's language, rebuilt from its rule's kind and values; the
 * server's text where that is not possible (no rule at hand, or a shape not recognised).
 */
export function alertText(alert: Alert, rule: Rule | undefined, fmt: Format): Text {
  const raw = { raw: alert.message };
  const p = rule?.params;
  if (!p || p.kind !== alert.kind) return raw;
  const value = fmt.metric(alert.value);
  const { gpu, metric } = subjectParts(alert.subject);
  switch (p.kind) {
    case 'status_change': {
      // The server writes `status <from> → <to>[: <the trainer's message>]`.
      const m = /^status (\S+) → (\S+)(?:: ([\s\S]*))?$/.exec(alert.message);
      if (!m) return raw;
      const [, from = '', to = '', detail] = m;
      return detail === undefined
        ? { key: 'alerts.message.status', values: { from: statusKey(from), to: statusKey(to) } }
        : { key: 'alerts.message.statusWith', values: { from: statusKey(from), to: statusKey(to), detail } };
    }
    case 'metric_threshold':
      return { key: 'alerts.message.threshold', values: { metric, value, op: OPS[p.op], limit: fmt.metric(p.value) } };
    case 'metric_plateau':
      return { key: 'alerts.message.plateau', values: { metric, value, epochs: p.epochs } };
    case 'metric_non_finite':
      return { key: 'alerts.message.nonFinite', values: { metric, value } };
    case 'run_stalled':
      return { key: 'alerts.message.stalled', values: {} };
    case 'host_offline': {
      const m = /no sample for (\d+) s/.exec(alert.message);
      return m ? { key: 'alerts.message.offline', values: { seconds: Number(m[1]) } } : raw;
    }
    case 'host_metric':
      return {
        key: 'alerts.message.hostMetric',
        values: {
          gpu,
          metric: { key: `alerts.hostMetrics.${p.metric}` },
          value: `${value}${unitOf(p.metric)}`,
          op: OPS[p.op],
          limit: fmt.metric(p.value),
          unit: unitOf(p.metric),
        },
      };
  }
}
