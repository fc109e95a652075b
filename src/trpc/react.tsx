'use client';
/**
 * The browser's tRPC client: subscriptions over one WebSocket (/api/trpc-ws), everything
 * else batched over HTTP (/api/trpc), both with superjson. The socket's state feeds the
 * connection indicator every page shows.
 */
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { createWSClient, httpBatchStreamLink, splitLink, wsLink, type TRPCClient } from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { createContext, useContext, useState, useSyncExternalStore, type ReactNode } from 'react';
import superjson from 'superjson';
import type { AppRouter } from '@/server/api/root';
import { createQueryClient } from './query-client';

export const api = createTRPCReact<AppRouter>();
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** live: the socket is open; reconnecting: it dropped and is retrying; offline: retrying for a while. */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** After this long without a socket the page says offline rather than reconnecting. */
const OFFLINE_AFTER_MS = 10_000;

class ConnectionMonitor {
  status: ConnectionStatus = 'connecting';
  private everOpen = false;
  private offlineTimer: ReturnType<typeof setTimeout> | undefined;
  private listeners = new Set<() => void>();

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  get = () => this.status;

  update(state: 'idle' | 'connecting' | 'pending', hasError: boolean): void {
    if (state === 'pending') {
      this.everOpen = true;
      clearTimeout(this.offlineTimer);
      this.offlineTimer = undefined;
      this.set('live');
    } else if (this.everOpen || hasError) {
      if (this.status !== 'offline') this.set('reconnecting');
      this.offlineTimer ??= setTimeout(() => this.set('offline'), OFFLINE_AFTER_MS);
    }
  }

  private set(status: ConnectionStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const l of this.listeners) l();
  }
}

const ConnectionContext = createContext<ConnectionMonitor | null>(null);

export function useConnectionStatus(): ConnectionStatus {
  const monitor = useContext(ConnectionContext);
  return useSyncExternalStore(monitor?.subscribe ?? noopSubscribe, monitor?.get ?? connectingStatus, connectingStatus);
}
const noopSubscribe = () => () => {};
const connectingStatus = (): ConnectionStatus => 'connecting';

let browserQueryClient: QueryClient | undefined;
function getQueryClient(): QueryClient {
  // On the server a new client per request; in the browser one for the page's lifetime.
  if (typeof window === 'undefined') return createQueryClient();
  return (browserQueryClient ??= createQueryClient());
}

function wsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/api/trpc-ws`;
}

function createClients(): { trpc: TRPCClient<AppRouter>; monitor: ConnectionMonitor } {
  const monitor = new ConnectionMonitor();
  // Streamed batches: each answer is used as it comes, not held back by the slowest query.
  // A batch of GET queries travels in the URL: split before servers refuse it (431, 414).
  const http = httpBatchStreamLink({ url: '/api/trpc', transformer: superjson, maxURLLength: 4000 });
  if (typeof window === 'undefined') {
    // Server rendering: queries are not fetched and subscriptions start only in effects.
    return { trpc: api.createClient({ links: [http] }), monitor };
  }
  const ws = createWSClient({
    url: wsUrl,
    // Retry quickly at first (a restarting server is back in seconds), then back off to 5 s.
    retryDelayMs: (attempt) => Math.min(250 * 2 ** attempt, 5000),
    keepAlive: { enabled: true, intervalMs: 10_000, pongTimeoutMs: 5_000 },
  });
  ws.connectionState.subscribe({ next: (s) => monitor.update(s.state, s.error !== null) });
  const trpc = api.createClient({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: ws, transformer: superjson }),
        false: http,
      }),
    ],
  });
  return { trpc, monitor };
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  // One socket for the page's lifetime; it reconnects by itself.
  const [clients] = useState(createClients);
  return (
    <api.Provider client={clients.trpc} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <ConnectionContext.Provider value={clients.monitor}>{children}</ConnectionContext.Provider>
      </QueryClientProvider>
    </api.Provider>
  );
}
