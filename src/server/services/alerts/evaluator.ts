/**
 * Evaluates the enabled rules over live data as it is stored: run events and host samples
 * from the bus, and a tick (every 500 ms) for what silence or time decides (stalled runs,
 * offline hosts, durations). Every instance evaluates; the store makes one alert of it.
 *
 * What is open is known here so that an event which changes nothing costs no query: a
 * condition is written only when it differs from that view. The view follows other
 * instances through the alert feed.
 */
import type { HostStatus, SystemSample } from '../../../shared/systemSample';
import type { SessionEvent } from '../../../shared/types';
import type { Logger } from '../../../lib/logger';
import type { AlertStore } from './alertStore';
import type { AlertInfo, Condition } from './alertTypes';
import { hostOffline, HostRules } from './hostRules';
import type { AlertRule } from '../../../shared/schemas/alertRules';
import { scopeMatchesRun } from '../../../shared/schemas/alertRules';
import { evaluateRunEvent, type PlateauMemory } from './runRules';
import type { RunLiveness } from './runLiveness';

/** A host sample older than this no longer keeps a duration going (collectors send 1 Hz). */
const QUIET_AFTER_MS = 5_000;

const key = (ruleId: number, subject: string) => `${ruleId}|${subject}`;
const minutes = (ms: number) => (ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

export class AlertEvaluator {
  private rules: AlertRule[] = [];
  private runRules: AlertRule[] = [];
  private hostMetricRules: AlertRule[] = [];
  private readonly open = new Set<string>();
  /** How many open alerts each rule has (a rule with none skips what could only resolve). */
  private readonly openByRule = new Map<number, number>();
  /** Per rule and subject, the write in progress, so writes of one subject stay in order. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly plateaus: PlateauMemory = new Map();
  private readonly hostRules = new HostRules();
  private runningHosts = new Set<string>();

  constructor(
    private readonly store: AlertStore,
    private readonly log: Logger,
    /** Called after this instance raised or resolved an alert (to send it at once). */
    private readonly onChange: (alert: AlertInfo) => void,
  ) {}

  setRules(rules: AlertRule[]): void {
    const before = new Map(this.rules.map((r) => [r.id, r.updatedAt.getTime()]));
    this.rules = rules.filter((r) => r.enabled);
    const changed = new Set(this.rules.filter((r) => before.get(r.id) !== r.updatedAt.getTime()).map((r) => r.id));
    this.runRules = this.rules.filter((r) =>
      ['status_change', 'metric_threshold', 'metric_plateau', 'metric_non_finite'].includes(r.params.kind),
    );
    this.hostMetricRules = this.rules.filter((r) => r.params.kind === 'host_metric');
    this.hostRules.retain(new Set(this.rules.map((r) => r.id)), changed);
  }

  /** What other instances (or an earlier run of this one) raised or resolved. */
  seeOpen(ruleId: number, subject: string, open: boolean): void {
    this.mark(ruleId, key(ruleId, subject), open);
  }

  private mark(ruleId: number, k: string, open: boolean): void {
    if (open === this.open.has(k)) return;
    if (open) this.open.add(k);
    else this.open.delete(k);
    this.openByRule.set(ruleId, (this.openByRule.get(ruleId) ?? 0) + (open ? 1 : -1));
  }

  onRunEvents(run: string, events: SessionEvent[]): void {
    if (this.runRules.length === 0) return;
    for (const event of events) {
      if (event.type === 'log') continue;
      for (const rule of this.runRules) {
        const anyOpen = (this.openByRule.get(rule.id) ?? 0) > 0;
        for (const c of evaluateRunEvent(rule, run, event, this.plateaus, anyOpen)) this.apply(c);
      }
    }
  }

  onSample(sample: SystemSample, now = Date.now()): void {
    if (this.hostMetricRules.length === 0) return;
    for (const c of this.hostRules.onSample(this.hostMetricRules, sample, this.runningHosts, now)) this.apply(c);
  }

  /** Silence and time: stalled runs, offline hosts, durations that ended. */
  onTick(now: number, runs: RunLiveness[], hosts: HostStatus[]): void {
    this.runningHosts = new Set(runs.flatMap((r) => (r.host ? [r.host] : [])));
    for (const rule of this.rules) {
      if (rule.params.kind === 'host_offline') for (const c of hostOffline(rule, hosts, now)) this.apply(c);
      if (rule.params.kind === 'run_stalled') this.stalled(rule, runs, now);
    }
    for (const c of this.hostRules.onTick(now, QUIET_AFTER_MS)) this.apply(c);
  }

  /** Resolves what is open for runs no longer running; raises for those gone silent. */
  private stalled(rule: AlertRule, runs: RunLiveness[], now: number): void {
    const running = new Set<string>();
    for (const r of runs) {
      if (!scopeMatchesRun(rule.scope, r.run)) continue;
      running.add(`run:${r.run}`);
      this.apply({
        ruleId: rule.id,
        subject: `run:${r.run}`,
        active: r.stalled,
        run: r.run,
        message: `nothing heard from the trainer for ${minutes(r.silentMs)} (stalled after ${minutes(r.stallAfterMs)})`,
        at: new Date(now),
      });
    }
    const prefix = `${rule.id}|run:`;
    for (const k of this.open) {
      const subject = k.slice(String(rule.id).length + 1);
      if (k.startsWith(prefix) && !running.has(subject)) {
        this.apply({ ruleId: rule.id, subject, active: false, message: '', at: new Date(now) });
      }
    }
  }

  /** Writes a condition that differs from what is open; writes of one subject in order. */
  private apply(c: Condition): void {
    const k = key(c.ruleId, c.subject);
    if (c.active === this.open.has(k)) return;
    this.mark(c.ruleId, k, c.active);
    const previous = this.chains.get(k) ?? Promise.resolve();
    const next = previous.then(() => this.write(c, k));
    this.chains.set(k, next);
    void next.finally(() => {
      if (this.chains.get(k) === next) this.chains.delete(k);
    });
  }

  private async write(c: Condition, k: string): Promise<void> {
    try {
      const alert = c.active ? await this.store.raise(c) : await this.store.resolve(c.ruleId, c.subject, c.at);
      if (alert) this.onChange(alert);
    } catch (error) {
      // Not written: forget it, so the next event or tick tries again.
      this.mark(c.ruleId, k, !c.active);
      this.log.warn('could not record alert', { subject: c.subject, error: (error as Error).message });
    }
  }

  /** Resolves once every write started so far is done (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.chains.size > 0) await Promise.all(this.chains.values());
  }
}
