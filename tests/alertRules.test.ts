/** Rules people write, through the API: thresholds, plateaus, status changes, host metrics, scopes. */
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/server/api/root';
import { setupAlertStack } from './helpers/alertStack';
import { hostSample } from './helpers/hostSample';
import { until } from './kit/until';

const s = setupAlertStack();

const alertsOf = async (ruleId: number) => (await s.api.alert.list.query({ limit: 200 })).filter((a) => a.ruleId === ruleId);
const metrics = (run: string, epoch: number, values: Record<string, number>) =>
  s.api.metric.append.mutate({ experimentId: run, epoch, values });

describe('rules people write', () => {
  it('a metric above a value from epoch N on, for runs matching a pattern', async () => {
    const rule = await s.api.alert.createRule.mutate({
      name: 'val loss diverging',
      scope: { runPattern: 'yolo-*' },
      params: { kind: 'metric_threshold', metric: 'val_loss', op: 'above', value: 2, afterEpoch: 3 },
    });
    for (const run of ['yolo-a', 'detr-b']) await s.api.session.create.mutate({ experimentId: run });
    await metrics('yolo-a', 1, { val_loss: 5 }); // warm-up epochs do not count
    await metrics('detr-b', 4, { val_loss: 5 }); // outside the pattern
    await metrics('yolo-a', 4, { val_loss: 2.5 });
    await until(async () => (await alertsOf(rule.id)).length === 1, 'the threshold alert');
    const [alert] = await alertsOf(rule.id);
    expect(alert).toMatchObject({ run: 'yolo-a', subject: 'run:yolo-a/val_loss', value: 2.5, resolvedAt: null });
    expect(alert!.message).toContain('epoch 4');
    expect(alert!.link).toBe(`/sessions/yolo-a?at=${alert!.triggeredAt.getTime()}`);
    await metrics('yolo-a', 5, { val_loss: 1.5 });
    await until(async () => (await alertsOf(rule.id))[0]!.resolvedAt !== null, 'resolution');
  });

  it('a metric that has not improved for N epochs', async () => {
    const rule = await s.api.alert.createRule.mutate({
      name: 'mAP plateau',
      scope: { run: 'plateau-run' },
      params: { kind: 'metric_plateau', metric: 'mAP50', epochs: 3, goal: 'max' },
    });
    await s.api.session.create.mutate({ experimentId: 'plateau-run' });
    const values = [0.3, 0.4, 0.39, 0.38, 0.4];
    for (const [i, v] of values.entries()) await metrics('plateau-run', i + 1, { mAP50: v });
    await until(async () => (await alertsOf(rule.id)).length === 1, 'the plateau alert');
    expect((await alertsOf(rule.id))[0]!.message).toContain('has not improved for 3 epochs (best 0.4 at epoch 2)');
    await metrics('plateau-run', 6, { mAP50: 0.45 });
    await until(async () => (await alertsOf(rule.id))[0]!.resolvedAt !== null, 'resolution');
  });

  it('a run-status change, and a host metric over a threshold on one host', async () => {
    const done = await s.api.alert.createRule.mutate({
      name: 'run finished',
      severity: 'info',
      params: { kind: 'status_change', to: ['completed', 'stopped'] },
    });
    const cpu = await s.api.alert.createRule.mutate({
      name: 'CPU saturated',
      scope: { host: 'node-cpu' },
      params: { kind: 'host_metric', metric: 'cpu_util', op: 'at_least', value: 95 },
    });
    await s.api.session.create.mutate({ experimentId: 'finishes' });
    await s.api.session.setStatus.mutate({ experimentId: 'finishes', status: 'completed' });
    const hot = (host: string) => ({ ...hostSample(host, Date.now()), cpu: { ...hostSample(host, 0).cpu, cpu_util: 99 } });
    await s.api.system.report.mutate({ samples: [hot('node-other'), hot('node-cpu')] });
    await until(async () => (await alertsOf(done.id)).length === 1 && (await alertsOf(cpu.id)).length === 1, 'both alerts');
    expect((await alertsOf(done.id))[0]).toMatchObject({
      run: 'finishes',
      severity: 'info',
      message: 'status queued → completed',
    });
    expect((await alertsOf(cpu.id))[0]).toMatchObject({
      host: 'node-cpu',
      subject: 'host:node-cpu/cpu_util',
      value: 99,
      link: '/hosts/node-cpu', // the host's own page
    });
  });

  it('turns a default rule off, marks alerts read, and names the bad field of a bad rule', async () => {
    const failed = (await s.api.alert.rules.query()).find((r) => r.builtin === 'run_failed')!;
    await s.api.alert.updateRule.mutate({ id: failed.id, enabled: false });
    await s.api.session.create.mutate({ experimentId: 'quiet-failure' });
    await s.api.session.setStatus.mutate({ experimentId: 'quiet-failure', status: 'failed' });
    await s.api.session.create.mutate({ experimentId: 'loud-finish' });
    await s.api.session.setStatus.mutate({ experimentId: 'loud-finish', status: 'completed' });
    await until(async () => (await s.api.alert.list.query({ limit: 200 })).some((a) => a.run === 'loud-finish'), 'a later alert');
    expect((await s.api.alert.list.query({ limit: 200 })).some((a) => a.run === 'quiet-failure')).toBe(false);
    await s.api.alert.updateRule.mutate({ id: failed.id, enabled: true });

    await s.api.alert.markRead.mutate({});
    expect(await s.api.alert.unreadCount.query()).toBe(0);

    const error: unknown = await s.api.alert.createRule
      .mutate({ name: 'x', params: { kind: 'metric_threshold', metric: 'loss', op: 'above', value: Number.NaN } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    const data = (error as TRPCClientError<AppRouter>).data as { code: string; issues: { path: (string | number)[] }[] };
    expect(data.code).toBe('BAD_REQUEST');
    expect(data.issues.map((i) => i.path.join('.'))).toContain('params.value');
    await expect(s.api.alert.deleteRule.mutate({ id: failed.id })).rejects.toThrow(/default rule; turn it off/);
  });
});
