/** The real server on a free port, API only (no web pages), on a test database. */
import { createTRPCClient, createWSClient, httpBatchLink, wsLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';
import WebSocket from 'ws';
import type { AppRouter } from '../../src/server/api/root';
import { startApp, type AppOptions, type RunningApp, TRPC_WS_PATH } from '../../src/server/app';
import { silentLogger } from '../../src/lib/logger';

export async function startTestServer(databaseUrl: string, port = 0, options: Partial<AppOptions> = {}): Promise<RunningApp> {
  return startApp({
    port,
    host: '127.0.0.1',
    databaseUrl,
    dataDir: '.data/test',
    bodyLimitBytes: 5 * 1024 * 1024,
    log: silentLogger,
    ...options,
  });
}

export function httpClient(app: { url: string }, headers: Record<string, string> = {}): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${app.url}/api/trpc`, transformer: superjson, headers })],
  });
}

export function wsClient(url: string, opts: { retryDelayMs?: () => number; apiKey?: string } = {}) {
  const stats = { opens: 0 };
  const socket = createWSClient({
    onOpen: () => stats.opens++,
    ...(opts.apiKey ? { connectionParams: () => ({ apiKey: opts.apiKey! }) } : {}),
    url: `${url.replace(/^http/, 'ws')}${TRPC_WS_PATH}`,
    retryDelayMs: opts.retryDelayMs ?? (() => 50),
    // Node 20 has no global WebSocket.
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: socket, transformer: superjson })] });
  return { client, socket, stats };
}
