/**
 * The rules every installation starts with, on by default. Each is a row like any other
 * (turned off or tuned in Settings or through the API); `builtin` names it so it is
 * created once and never twice.
 */
import type { CreateRuleInput } from './schemas/alertRules';

export const DEFAULT_RULES: (CreateRuleInput & { builtin: string })[] = [
  { builtin: 'run_failed', name: 'Run failed', severity: 'critical', params: { kind: 'status_change', to: ['failed'] } },
  { builtin: 'run_stalled', name: 'Run stalled', severity: 'warning', params: { kind: 'run_stalled' } },
  {
    builtin: 'metric_non_finite',
    name: 'Metric is NaN or infinite',
    severity: 'critical',
    params: { kind: 'metric_non_finite' },
  },
  { builtin: 'host_offline', name: 'Host offline', severity: 'warning', params: { kind: 'host_offline', afterSeconds: 60 } },
  {
    builtin: 'gpu_hot',
    name: 'GPU at or above 85 °C',
    severity: 'critical',
    params: { kind: 'host_metric', metric: 'gpu_temp', op: 'at_least', value: 85, forSeconds: 30 },
  },
  {
    builtin: 'gpu_idle',
    name: 'GPU idle while a run is running',
    severity: 'warning',
    params: { kind: 'host_metric', metric: 'gpu_util', op: 'below', value: 5, forSeconds: 300, whileRunning: true },
  },
];
