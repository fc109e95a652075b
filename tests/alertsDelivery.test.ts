/**
 * Delivery: the chat formats, throttling of repeats and the resolved message, retries with
 * the delivery log, once across two instances, and nothing lost when the server is killed
 * between raising an alert and sending it.
 */
import { describe, expect, it } from 'vitest';
import { httpClient } from './helpers/server';
import { setupAlertStack } from './helpers/alertStack';
import { freePort } from './kit/freePort';
import { serverProcess } from './kit/serverProcess';
import { until } from './kit/until';

const s = setupAlertStack();

const postMetrics = (run: string, body: string) =>
  fetch(`${s.server.url}/api/v1/training/logs/${run}/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

const forRun = (path: string, run: string) => s.receiver.on(path).filter((r) => JSON.stringify(r.body).includes(run));

describe('alert delivery', () => {
  it('speaks the Feishu, DingTalk and WeCom group robot formats', async () => {
    for (const format of ['feishu', 'dingtalk', 'wecom'] as const) {
      await s.api.alert.createWebhook.mutate({ name: format, url: `${s.receiver.url}/${format}`, format });
    }
    // Told apart by host when no format is given.
    const auto = await s.api.alert.createWebhook.mutate({ name: 'lark', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x' });
    expect(auto.format).toBe('feishu');
    await s.api.alert.setWebhookEnabled.mutate({ id: auto.id, enabled: false });

    await s.rest('POST', '/training/logs/session', { experiment_id: 'chat-run' });
    await s.rest('PUT', '/training/logs/chat-run/status', { status: 'failed' });
    await until(
      () => ['feishu', 'dingtalk', 'wecom'].every((f) => forRun(`/${f}`, 'chat-run').length === 1),
      'three chat messages',
    );

    const [feishu] = forRun('/feishu', 'chat-run');
    expect(feishu!.body).toEqual({ msg_type: 'text', content: { text: expect.stringContaining('Run failed (run chat-run)') } });
    for (const f of ['dingtalk', 'wecom']) {
      expect(forRun(`/${f}`, 'chat-run')[0]!.body).toEqual({
        msgtype: 'text',
        text: { content: expect.stringContaining('http://monitor.example:8000/sessions/chat-run?at=') },
      });
    }
    for (const w of await s.api.alert.webhooks.query()) {
      if (!w.fromEnv && w.format !== 'generic') await s.api.alert.deleteWebhook.mutate({ id: w.id });
    }
  });

  it('sends a flapping condition once per window, with one resolved message', async () => {
    await s.rest('POST', '/training/logs/session', { experiment_id: 'flappy' });
    await postMetrics('flappy', '{"epoch": 1, "metrics": {"loss": NaN}}');
    await until(() => forRun('/generic', 'flappy').length === 1, 'the raised message');
    await postMetrics('flappy', '{"epoch": 2, "metrics": {"loss": 0.5}}');
    await until(() => forRun('/generic', 'flappy').length === 2, 'the resolved message');
    await postMetrics('flappy', '{"epoch": 3, "metrics": {"loss": NaN}}');
    await until(
      async () => (await s.api.alert.list.query({ limit: 100 })).filter((a) => a.run === 'flappy').length === 2,
      'the repeat, stored',
    );
    // A later alert on another run is sent after the repeat would have been.
    await s.rest('POST', '/training/logs/session', { experiment_id: 'flappy-marker' });
    await postMetrics('flappy-marker', '{"epoch": 1, "metrics": {"loss": NaN}}');
    await until(() => forRun('/generic', 'flappy-marker').length === 1, 'the marker message');

    expect(forRun('/generic', '"flappy"').map((r) => r.body.event)).toEqual(['raised', 'resolved']);
    const [repeat, first] = (await s.api.alert.list.query({ limit: 100 })).filter((a) => a.run === 'flappy');
    expect(first).toMatchObject({ throttled: false, resolvedAt: expect.any(Date) });
    expect(repeat).toMatchObject({ throttled: true, resolvedAt: null });
  });

  it('retries a receiver that fails, and logs every attempt', async () => {
    s.receiver.status = 500;
    await s.rest('POST', '/training/logs/session', { experiment_id: 'retried' });
    await s.rest('PUT', '/training/logs/retried/status', { status: 'failed' });
    const alertId = async () => (await s.api.alert.list.query({ limit: 100 })).find((a) => a.run === 'retried')?.id;
    const logOf = async () => {
      const id = await alertId();
      return (await s.api.alert.deliveries.query({ limit: 100 })).filter((d) => d.alertId === id);
    };
    await until(async () => (await logOf()).some((d) => d.attempts >= 1 && d.lastError === 'HTTP 500'), 'a failed attempt');
    s.receiver.status = 200;
    await until(() => forRun('/generic', 'retried').length === 1, 'the message after a retry', 20_000);
    const [entry] = await logOf();
    expect(entry).toMatchObject({ status: 'delivered', responseStatus: 200, lastError: null, event: 'raised' });
    expect(entry!.attempts).toBeGreaterThanOrEqual(2);
  });

  it('is sent once by two instances, and after a SIGKILL between raising and sending', async () => {
    const second = serverProcess(s.db.url, await freePort(), {
      env: { ALERT_WEBHOOK_URL: `${s.receiver.url}/generic`, PUBLIC_URL: 'http://monitor.example:8000' },
    });
    await second.start();
    try {
      const other = httpClient(second);
      // Both instances see the failure (one through NOTIFY); one alert, one message.
      for (const run of ['twice-1', 'twice-2', 'twice-3']) {
        await other.session.create.mutate({ experimentId: run });
        await other.session.setStatus.mutate({ experimentId: run, status: 'failed' });
      }
      await until(() => ['twice-1', 'twice-2', 'twice-3'].every((r) => forRun('/generic', r).length >= 1), 'three messages');

      // Raised while the receiver is down; the instance that holds it dies before sending.
      s.receiver.status = 503;
      await other.session.create.mutate({ experimentId: 'crash-run' });
      await other.session.setStatus.mutate({ experimentId: 'crash-run', status: 'failed' });
      await until(
        async () => (await s.api.alert.deliveries.query({ limit: 100 })).some((d) => d.attempts >= 1 && d.status === 'pending'),
        'a pending delivery',
      );
      await Promise.all([s.server.kill(), second.kill()]);
      s.receiver.status = 200;
      await s.server.start();
      await until(() => forRun('/generic', 'crash-run').length >= 1, 'the message after the restart', 30_000);
      await s.rest('POST', '/training/logs/session', { experiment_id: 'after-crash' });
      await s.rest('PUT', '/training/logs/after-crash/status', { status: 'failed' });
      await until(() => forRun('/generic', 'after-crash').length === 1, 'a later message');
    } finally {
      await second.stop();
    }
    for (const run of ['twice-1', 'twice-2', 'twice-3', 'crash-run']) expect(forRun('/generic', `"${run}"`)).toHaveLength(1);
    expect((await s.api.alert.list.query({ limit: 100 })).filter((a) => a.run?.startsWith('twice-'))).toHaveLength(3);
  });
});
