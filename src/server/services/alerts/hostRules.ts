/**
 * Rules over hosts' live samples: a series over (or under) a threshold for a duration, and
 * hosts gone silent. A duration starts at the first sample that meets the condition (this
 * instance's clock) and is checked again on every tick, so the alert is raised when the
 * duration ends, not at the next sample after it.
 */
import type { GpuStats, HostStatus, SystemSample } from '../../../shared/systemSample';
import type { Condition } from './alertTypes';
import { compare, scopeMatchesHost, type AlertRule, type HostMetric } from '../../../shared/schemas/alertRules';

interface Pending {
  rule: AlertRule;
  condition: Condition;
  since: number;
  lastSampleAt: number;
}

const GPU_FIELD: Record<Extract<HostMetric, `gpu_${string}` | 'vram_percent'>, keyof GpuStats> = {
  gpu_util: 'gpu_util',
  gpu_temp: 'gpu_temp',
  vram_percent: 'vram_percent',
  gpu_power: 'power_usage',
};
const UNIT: Record<HostMetric, string> = {
  cpu_util: '%',
  ram_percent: '%',
  disk_percent: '%',
  gpu_util: '%',
  gpu_temp: ' °C',
  vram_percent: '%',
  gpu_power: ' W',
};

/** The values of one series in a sample: one for the host, or one per GPU. */
function seriesOf(sample: SystemSample, metric: HostMetric): { subject: string; label: string; value: number | null }[] {
  const host = `host:${sample.host}`;
  if (metric === 'cpu_util') return [{ subject: `${host}/cpu_util`, label: 'CPU', value: sample.cpu.cpu_util }];
  if (metric === 'ram_percent') return [{ subject: `${host}/ram_percent`, label: 'memory', value: sample.memory.ram_percent }];
  if (metric === 'disk_percent') return [{ subject: `${host}/disk_percent`, label: 'disk', value: sample.disk.disk_percent }];
  const field = GPU_FIELD[metric];
  return sample.gpu.map((g) => ({
    subject: `${host}/gpu${g.gpu_id}/${metric}`,
    label: `GPU ${g.gpu_id}`,
    value: typeof g[field] === 'number' ? (g[field] as number) : null,
  }));
}

export class HostRules {
  /** Conditions met, waiting for their duration, by rule and subject. */
  private readonly pending = new Map<string, Pending>();

  /** Conditions found in a sample; those with a duration not yet over wait in `pending`. */
  onSample(rules: AlertRule[], sample: SystemSample, runningHosts: ReadonlySet<string>, now: number): Condition[] {
    const out: Condition[] = [];
    for (const rule of rules) {
      const p = rule.params;
      if (p.kind !== 'host_metric' || !scopeMatchesHost(rule.scope, sample.host)) continue;
      for (const s of seriesOf(sample, p.metric)) {
        const key = `${rule.id}|${s.subject}`;
        const met = s.value !== null && compare(s.value, p.op, p.value) && (!p.whileRunning || runningHosts.has(sample.host));
        if (!met) {
          this.pending.delete(key);
          out.push({ ruleId: rule.id, subject: s.subject, active: false, host: sample.host, message: '', at: new Date(now) });
          continue;
        }
        const words = { above: 'above', below: 'below', at_least: 'at or above', at_most: 'at or below' }[p.op];
        const condition: Condition = {
          ruleId: rule.id,
          subject: s.subject,
          active: true,
          host: sample.host,
          value: s.value!,
          message: `${s.label} ${p.metric} ${s.value}${UNIT[p.metric]}, ${words} ${p.value}${UNIT[p.metric]}${p.forSeconds ? ` for ${p.forSeconds} s` : ''}${p.whileRunning ? ' while a run is running' : ''}`,
          at: new Date(Date.parse(sample.timestamp) || now),
        };
        const known = this.pending.get(key);
        const entry = { rule, condition, since: known?.since ?? now, lastSampleAt: now };
        this.pending.set(key, entry);
        if (now - entry.since >= p.forSeconds * 1000) out.push(condition);
      }
    }
    return out;
  }

  /** Durations that ended since the last sample; conditions of hosts gone quiet are dropped. */
  onTick(now: number, quietAfterMs: number): Condition[] {
    const out: Condition[] = [];
    for (const [key, entry] of this.pending) {
      if (entry.rule.params.kind !== 'host_metric') continue;
      if (now - entry.lastSampleAt > quietAfterMs) this.pending.delete(key);
      else if (now - entry.since >= entry.rule.params.forSeconds * 1000) out.push(entry.condition);
    }
    return out;
  }

  /** Forgets conditions of rules that were changed or removed. */
  retain(ruleIds: ReadonlySet<number>, changed: ReadonlySet<number>): void {
    for (const [key, entry] of this.pending) {
      if (!ruleIds.has(entry.rule.id) || changed.has(entry.rule.id)) this.pending.delete(key);
    }
  }
}

export function hostOffline(rule: AlertRule, hosts: HostStatus[], now: number): Condition[] {
  const p = rule.params;
  if (p.kind !== 'host_offline') return [];
  return hosts
    .filter((h) => scopeMatchesHost(rule.scope, h.host))
    .map((h) => {
      const silentMs = now - h.lastSeenAt.getTime();
      return {
        ruleId: rule.id,
        subject: `host:${h.host}`,
        active: silentMs > p.afterSeconds * 1000,
        host: h.host,
        message: `no sample for ${Math.round(silentMs / 1000)} s`,
        at: h.lastSeenAt,
      };
    });
}
