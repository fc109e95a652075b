/** The shapes of alerts as the API returns and streams them, and of what the evaluator finds. */
import type { RuleParams, Severity } from '../../../shared/schemas/alertRules';

export interface AlertInfo {
  id: number;
  ruleId: number;
  ruleName: string;
  kind: RuleParams['kind'];
  severity: Severity;
  /** What it is about: `run:<id>`, `run:<id>/<metric>`, `host:<name>`, `host:<name>/gpu0/gpu_temp`. */
  subject: string;
  run: string | null;
  host: string | null;
  message: string;
  value: number | null;
  /** When the condition was seen: the event's or the sample's time (the point on the chart). */
  triggeredAt: Date;
  raisedAt: Date;
  resolvedAt: Date | null;
  readAt: Date | null;
  /** A repeat inside the throttle window: shown here, not sent to webhooks. */
  throttled: boolean;
  /** Where to look, as a path of the web app (the run's chart at the point, or the host). */
  link: string;
  updatedAt: Date;
}

/** One rule's verdict on one subject: raise it (active) or resolve it. */
export interface Condition {
  ruleId: number;
  subject: string;
  active: boolean;
  run?: string;
  host?: string;
  message: string;
  value?: number;
  at: Date;
}

/** `/sessions/<run>?at=<ms>` (the run's chart at that time) or `/hosts/<name>` (the host's page). */
export function alertLink(a: { run: string | null; host: string | null; triggeredAt: Date }): string {
  if (a.run) return `/sessions/${encodeURIComponent(a.run)}?at=${a.triggeredAt.getTime()}`;
  if (a.host) return `/hosts/${encodeURIComponent(a.host)}`;
  return '/';
}
