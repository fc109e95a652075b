/**
 * What the alert tests run against: a test database, a local webhook receiver and the real
 * server as a child process (it can be SIGKILLed), with the tRPC client and the REST shim.
 */
import type { TRPCClient } from '@trpc/client';
import { afterAll, beforeAll } from 'vitest';
import type { AppRouter } from '../../src/server/api/root';
import { freePort } from '../kit/freePort';
import { serverProcess, type ServerProcess } from '../kit/serverProcess';
import { createTestDatabase, type TestDatabase } from './database';
import { forwardTo } from './fixtures';
import { httpClient } from './server';
import { startWebhookReceiver, type WebhookReceiver } from './webhookReceiver';

export interface AlertStack {
  db: TestDatabase;
  receiver: WebhookReceiver;
  server: ServerProcess;
  api: TRPCClient<AppRouter>;
  rest(method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

async function startAlertStack(env: Record<string, string>): Promise<AlertStack> {
  const database = await createTestDatabase();
  const receiver = await startWebhookReceiver();
  const server = serverProcess(database.url, await freePort(), {
    env: { ALERT_WEBHOOK_URL: `${receiver.url}/generic`, PUBLIC_URL: 'http://monitor.example:8000', ...env },
  });
  await server.start();
  const api = httpClient(server);
  return {
    db: database,
    receiver,
    server,
    api,
    rest: (method, path, body) =>
      fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    close: async () => {
      await server.stop();
      await receiver.close();
      await database.drop();
    },
  };
}

/** An alert stack for this test file: started before it, closed after it. */
export function setupAlertStack(env: Record<string, string> = {}): AlertStack {
  let stack: AlertStack | undefined;
  beforeAll(async () => {
    stack = await startAlertStack(env);
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });
  return forwardTo(() => stack, 'the alert stack');
}

/** The id of a default rule, by its builtin name. */
export async function defaultRule(api: TRPCClient<AppRouter>, builtin: string): Promise<number> {
  const rule = (await api.alert.rules.query()).find((r) => r.builtin === builtin);
  if (!rule) throw new Error(`no default rule ${builtin}`);
  return rule.id;
}
