/**
 * Each default rule end to end: the real server, a trainer posting through the REST shim or
 * tRPC, a collector's reports, and the message a local webhook receiver gets.
 */
import { describe, expect, it } from 'vitest';
import { defaultRule, setupAlertStack } from './helpers/alertStack';
import { gpuStats, hostSample } from './helpers/hostSample';
import { until } from './kit/until';

const s = setupAlertStack();

/** The generic messages about a subject (run or host), in order. */
const messagesFor = (what: { run?: string; host?: string }) =>
  s.receiver
    .on('/generic')
    .map((r) => r.body)
    .filter((b) => (what.run === undefined || b.run === what.run) && (what.host === undefined || b.host === what.host));

/** Sends one sample a second for a host until stopped, as a collector does. */
function feedHost(host: string, gpus: () => ReturnType<typeof gpuStats>[]) {
  let stopped = false;
  const send = () => s.api.system.report.mutate({ samples: [hostSample(host, Date.now(), gpus())] });
  const loop = (async () => {
    while (!stopped) {
      await send();
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

// How soon each alert follows its event is measured in bench/alerts (BENCHMARKS.md), not asserted:
// tests never fail on timing. What they assert is that nothing is sent before its time.
describe('default rules', () => {
  it('a failed run is sent with every field of the generic body', async () => {
    await s.rest('POST', '/training/logs/session', { experiment_id: 'yolo-fails', total_epochs: 10 });
    await s.rest('PUT', '/training/logs/yolo-fails/status', { status: 'running' });
    const failedAt = Date.now();
    await s.rest('PUT', '/training/logs/yolo-fails/status', { status: 'failed', message: 'CUDA out of memory' });

    await until(() => messagesFor({ run: 'yolo-fails' }).length === 1, 'the failed-run message');
    const received = s.receiver.on('/generic').find((r) => r.body.run === 'yolo-fails')!;
    const body = received.body;
    expect(body).toMatchObject({
      event: 'raised',
      rule: { name: 'Run failed', kind: 'status_change' },
      severity: 'critical',
      run: 'yolo-fails',
      host: null,
      message: expect.stringContaining('CUDA out of memory'),
    });
    expect(body.link).toMatch(/^http:\/\/monitor\.example:8000\/sessions\/yolo-fails\?at=\d+$/);
    expect(body.text).toContain('Run failed (run yolo-fails)');
    expect(body.text).toContain(body.link);
    expect(Date.parse(body.time as string)).toBeGreaterThan(failedAt - 1000);

    // In the notification centre, unread, linking to the run.
    const [alert] = await s.api.alert.list.query({ limit: 10 });
    expect(alert).toMatchObject({ run: 'yolo-fails', ruleName: 'Run failed', readAt: null });
    expect(await s.api.alert.unreadCount.query()).toBeGreaterThanOrEqual(1);
  });

  it('a NaN metric is sent at once and resolved when the metric is finite again', async () => {
    await s.rest('POST', '/training/logs/session', { experiment_id: 'yolo-nan' });
    await s.rest('POST', '/training/logs/yolo-nan/metrics', { epoch: 1, metrics: { train_loss: 0.5 } });
    // Python's json.dumps writes NaN as NaN.
    await fetch(`${s.server.url}/api/v1/training/logs/yolo-nan/metrics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"epoch": 2, "metrics": {"train_loss": NaN, "mAP50": 0.3}}',
    });
    await until(() => messagesFor({ run: 'yolo-nan' }).length === 1, 'the NaN message');
    const [raised] = messagesFor({ run: 'yolo-nan' });
    expect(raised).toMatchObject({
      event: 'raised',
      rule: { kind: 'metric_non_finite' },
      subject: 'run:yolo-nan/train_loss',
      value: 'NaN',
    });

    await s.rest('POST', '/training/logs/yolo-nan/metrics', { epoch: 3, metrics: { train_loss: 0.4 } });
    await until(() => messagesFor({ run: 'yolo-nan' }).length === 2, 'the resolved message');
    expect(messagesFor({ run: 'yolo-nan' })[1]).toMatchObject({ event: 'resolved', subject: 'run:yolo-nan/train_loss' });
    expect(messagesFor({ run: 'yolo-nan' })[1]!.text).toMatch(/^✅ Resolved: /);
  });

  it('a host silent for longer than the rule allows is offline, and back when it reports', async () => {
    const id = await defaultRule(s.api, 'host_offline');
    await s.api.alert.updateRule.mutate({ id, params: { kind: 'host_offline', afterSeconds: 1 } });
    await s.api.system.report.mutate({ samples: [hostSample('node-quiet', Date.now())] });
    const lastAt = Date.now();

    await until(() => messagesFor({ host: 'node-quiet' }).length === 1, 'the offline message');
    const [offline] = messagesFor({ host: 'node-quiet' });
    expect(offline).toMatchObject({ event: 'raised', rule: { name: 'Host offline' }, subject: 'host:node-quiet' });
    // The webhook's link opens the host's page.
    expect(offline!.link).toMatch(/^http:\/\/monitor\.example:8000\/hosts\/node-quiet$/);
    const at = s.receiver.on('/generic').find((r) => r.body === offline)!.at;
    expect(at - lastAt).toBeGreaterThanOrEqual(1000);

    await s.api.system.report.mutate({ samples: [hostSample('node-quiet', Date.now())] });
    await until(() => messagesFor({ host: 'node-quiet' }).length === 2, 'the back-online message');
    expect(messagesFor({ host: 'node-quiet' })[1]).toMatchObject({ event: 'resolved' });
    await s.api.alert.updateRule.mutate({ id, params: { kind: 'host_offline', afterSeconds: 3600 } });
  });

  it('a GPU at 85 °C is sent once the rule duration has passed, not before', async () => {
    const id = await defaultRule(s.api, 'gpu_hot');
    const rule = (await s.api.alert.rules.query()).find((r) => r.id === id)!;
    if (rule.params.kind !== 'host_metric') throw new Error('gpu_hot is a host_metric rule');
    expect(rule.params).toMatchObject({ metric: 'gpu_temp', op: 'at_least', value: 85, forSeconds: 30 });
    await s.api.alert.updateRule.mutate({ id, params: { ...rule.params, forSeconds: 3 } });

    const firstHotAt = Date.now();
    const stop = feedHost('node-hot', () => [gpuStats(0, 90, 70), gpuStats(1, 90, 85)]);
    try {
      await until(() => messagesFor({ host: 'node-hot' }).length >= 1, 'the hot GPU message', 15_000);
    } finally {
      await stop();
    }
    const hot = messagesFor({ host: 'node-hot' });
    // GPU 1 is at 85 exactly ("at or above"); GPU 0 at 70 stays quiet.
    expect(hot.map((b) => b.subject)).toEqual(['host:node-hot/gpu1/gpu_temp']);
    expect(hot[0]).toMatchObject({ severity: 'critical', value: 85 });
    const at = s.receiver.on('/generic').find((r) => r.body === hot[0])!.at;
    expect(at - firstHotAt).toBeGreaterThanOrEqual(3000);
  });

  it('an idle GPU is an alert only on a host where a run is running', async () => {
    const id = await defaultRule(s.api, 'gpu_idle');
    const rule = (await s.api.alert.rules.query()).find((r) => r.id === id)!;
    if (rule.params.kind !== 'host_metric') throw new Error('gpu_idle is a host_metric rule');
    expect(rule.params).toMatchObject({ metric: 'gpu_util', op: 'below', value: 5, forSeconds: 300, whileRunning: true });
    await s.api.alert.updateRule.mutate({ id, params: { ...rule.params, forSeconds: 2 } });
    await s.api.session.create.mutate({ experimentId: 'yolo-on-busy', host: 'node-busy' });
    await s.api.session.setStatus.mutate({ experimentId: 'yolo-on-busy', status: 'running' });

    const stopBusy = feedHost('node-busy', () => [gpuStats(0, 1, 40)]);
    const stopSpare = feedHost('node-spare', () => [gpuStats(0, 0, 40)]);
    try {
      await until(() => messagesFor({ host: 'node-busy' }).length >= 1, 'the idle GPU message', 15_000);
      // node-spare has been idle as long, but runs nothing: it was due at the same tick.
      await until(
        async () => (await s.api.alert.list.query({ limit: 100 })).some((a) => a.host === 'node-busy'),
        'the stored alert',
      );
    } finally {
      await Promise.all([stopBusy(), stopSpare()]);
    }
    expect(messagesFor({ host: 'node-busy' })[0]).toMatchObject({ subject: 'host:node-busy/gpu0/gpu_util', value: 1 });
    expect(messagesFor({ host: 'node-spare' })).toEqual([]);
  });
});
