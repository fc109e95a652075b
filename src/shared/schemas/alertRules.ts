/**
 * Alert rules: what each kind checks, its parameters and its scope. These zod schemas are
 * the one source for validation, the tRPC inputs and the types the web app edits with.
 */
import { z } from 'zod';
import { experimentId, metricName, SESSION_STATUSES } from './common';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The host series a rule can watch; gpu_* ones are checked per GPU. */
export const HOST_METRICS = [
  'cpu_util',
  'ram_percent',
  'disk_percent',
  'gpu_util',
  'gpu_temp',
  'vram_percent',
  'gpu_power',
] as const;
export type HostMetric = (typeof HOST_METRICS)[number];

const seconds = z
  .number()
  .min(0)
  .max(7 * 86_400);
/** at_least and at_most include the value itself (GPU at or above 85 °C). */
const op = z.enum(['above', 'below', 'at_least', 'at_most']);
export type Comparison = z.infer<typeof op>;

/** Which runs or hosts a rule watches: nothing set means every run or every host. */
export const ruleScope = z
  .object({
    /** One run, by experiment id. */
    run: experimentId.optional(),
    /** Runs whose experiment id matches this pattern (`*` any characters, `?` one). */
    runPattern: z.string().min(1).max(128).optional(),
    /** One host, by the name its collector reports. */
    host: z.string().min(1).max(255).optional(),
  })
  .strict();
export type RuleScope = z.infer<typeof ruleScope>;

export const ruleParams = z.discriminatedUnion('kind', [
  /** A metric above or below a value, optionally only from epoch N on. */
  z.object({
    kind: z.literal('metric_threshold'),
    metric: metricName,
    op,
    value: z.number().finite(),
    afterEpoch: z.number().int().min(0).optional(),
  }),
  /** A metric that has not improved for N epochs (lower is better unless goal is max). */
  z.object({
    kind: z.literal('metric_plateau'),
    metric: metricName,
    epochs: z.number().int().min(1).max(100_000),
    goal: z.enum(['min', 'max']).default('min'),
  }),
  /** A metric became NaN or ±Infinity (every metric, or the one named). */
  z.object({ kind: z.literal('metric_non_finite'), metric: metricName.optional() }),
  /** A run entered one of these statuses; resolved when it leaves it. */
  z.object({ kind: z.literal('status_change'), to: z.array(z.enum(SESSION_STATUSES)).min(1) }),
  /** A running run went silent (the rule of shared/stall.ts, the same as the badge's). */
  z.object({ kind: z.literal('run_stalled') }),
  /** A host sent no sample for this long. */
  z.object({ kind: z.literal('host_offline'), afterSeconds: seconds.default(60) }),
  /** A host series over (or under) a threshold for a duration. */
  z.object({
    kind: z.literal('host_metric'),
    metric: z.enum(HOST_METRICS),
    op,
    value: z.number().finite(),
    forSeconds: seconds.default(0),
    /** Only while a run on that host is running (an idle GPU matters only then). */
    whileRunning: z.boolean().default(false),
  }),
]);
export type RuleParams = z.infer<typeof ruleParams>;
export type RuleKind = RuleParams['kind'];
export const RULE_KINDS = ruleParams.options.map((o) => o.shape.kind.value);

export const createRuleInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(128),
  severity: z.enum(SEVERITIES).default('warning'),
  enabled: z.boolean().default(true),
  scope: ruleScope.default({}),
  params: ruleParams,
});
export type CreateRuleInput = z.input<typeof createRuleInput>;

/** Any field may change; a default rule keeps its kind (its params must stay of that kind). */
export const updateRuleInput = z.object({
  id: z.number().int().positive(),
  name: z.string().trim().min(1).max(128).optional(),
  severity: z.enum(SEVERITIES).optional(),
  enabled: z.boolean().optional(),
  scope: ruleScope.optional(),
  params: ruleParams.optional(),
});
export type UpdateRuleInput = z.input<typeof updateRuleInput>;

export const ruleId = z.object({ id: z.number().int().positive() });

export interface AlertRule {
  id: number;
  builtin: string | null;
  name: string;
  severity: Severity;
  enabled: boolean;
  scope: RuleScope;
  params: RuleParams;
  createdAt: Date;
  updatedAt: Date;
}

/** `*` any characters, `?` one; the rest literal. */
export function patternMatches(pattern: string, id: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(id);
}

export function scopeMatchesRun(scope: RuleScope, run: string): boolean {
  if (scope.run !== undefined && scope.run !== run) return false;
  return scope.runPattern === undefined || patternMatches(scope.runPattern, run);
}

export function scopeMatchesHost(scope: RuleScope, host: string): boolean {
  return scope.host === undefined || scope.host === host;
}

export function compare(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case 'above':
      return value > threshold;
    case 'below':
      return value < threshold;
    case 'at_least':
      return value >= threshold;
    case 'at_most':
      return value <= threshold;
  }
}
