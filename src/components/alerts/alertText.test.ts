/** The alerts UI rebuilds rule and alert texts from message keys: every key it builds exists. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '@/shared/defaultAlertRules';
import en from '../../../messages/en.json';
import { createFormat } from '../format';
import { alertText, builtinNameKey, conditionText, scopeTexts, type Rule, type Text } from './alertText';
import type { Alert } from './useAlerts';

const fmt = createFormat('en', { never: 'never' });

/** A message by its full key, with nested keys and plain values filled in. */
function lookup(key: string): string | undefined {
  const found = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], en);
  return typeof found === 'string' ? found : undefined;
}

function keysOf(text: Text): string[] {
  if ('raw' in text) return [];
  return [text.key, ...Object.values(text.values).flatMap((v) => (typeof v === 'object' ? [v.key] : []))];
}

const rule = (params: Rule['params'], extra: Partial<Rule> = {}): Rule =>
  ({ id: 1, name: 'r', builtin: null, enabled: true, severity: 'warning', scope: {}, params, ...extra }) as Rule;

const alert = (a: Partial<Alert>): Alert =>
  ({ id: 9, ruleId: 1, ruleName: 'r', subject: 'run:a', run: 'a', host: null, message: '', value: null, ...a }) as Alert;

const RULES: Rule['params'][] = [
  { kind: 'metric_threshold', metric: 'val/loss', op: 'above', value: 2, afterEpoch: 5 },
  { kind: 'metric_plateau', metric: 'mAP50', epochs: 10, goal: 'max' },
  { kind: 'metric_non_finite' },
  { kind: 'metric_non_finite', metric: 'train/loss' },
  { kind: 'status_change', to: ['failed', 'stopped'] },
  { kind: 'run_stalled' },
  { kind: 'host_offline', afterSeconds: 60 },
  { kind: 'host_metric', metric: 'gpu_temp', op: 'at_least', value: 85, forSeconds: 30, whileRunning: true },
];

describe('alert texts', () => {
  it('name every default rule, while it keeps its default name', () => {
    for (const d of DEFAULT_RULES) expect(lookup(builtinNameKey(d)!), d.builtin).toBe(d.name);
    expect(builtinNameKey({ builtin: 'run_failed', name: 'OOM crash' })).toBeNull();
  });

  it('word every kind of condition and scope from existing messages', () => {
    for (const params of RULES) {
      const r = rule(params, { scope: { run: 'a', runPattern: 'yolo*', host: 'node-1' } });
      const keys = [...keysOf(conditionText(r, fmt, (s) => s.join(' or '))), ...scopeTexts(r).map((p) => p.key)];
      for (const key of keys) expect(lookup(key), key).toBeDefined();
    }
  });

  it("rebuild the server's messages from the rule and the alert's values", () => {
    const failed = alertText(
      alert({ kind: 'status_change', message: 'status running → failed: CUDA out of memory' }),
      rule(RULES[4]!),
      fmt,
    );
    expect(failed).toEqual({
      key: 'alerts.message.statusWith',
      values: { from: { key: 'status.running' }, to: { key: 'status.failed' }, detail: 'CUDA out of memory' },
    });
    const hot = alertText(
      alert({ kind: 'host_metric', subject: 'host:node-1/gpu0/gpu_temp', host: 'node-1', run: null, value: 91 }),
      rule(RULES[7]!),
      fmt,
    );
    expect(hot).toMatchObject({ key: 'alerts.message.hostMetric', values: { gpu: '0', value: '91 °C', op: '≥', limit: '85' } });
    for (const [i, params] of RULES.entries()) {
      const text = alertText(
        alert({ kind: params.kind, subject: 'run:a/val/loss', message: 'no sample for 61 s' }),
        rule(params),
        fmt,
      );
      for (const key of keysOf(text)) expect(lookup(key), `${i} ${key}`).toBeDefined();
    }
  });

  it("show the server's text when the rule is not at hand or the text is not recognised", () => {
    expect(alertText(alert({ kind: 'run_stalled', message: 'silent' }), undefined, fmt)).toEqual({ raw: 'silent' });
    expect(alertText(alert({ kind: 'status_change', message: 'odd' }), rule(RULES[4]!), fmt)).toEqual({ raw: 'odd' });
  });
});
