/**
 * The run's control requests over the tRPC WebSocket: pending ones first, then new ones.
 * The ws link resubscribes with the last tracked id after a reconnect, so a request is
 * neither missed nor, given the id check here, delivered twice.
 */
import { createTRPCUntypedClient, createWSClient, wsLink } from '@trpc/client';
import superjson from 'superjson';
import WebSocket from 'ws';
import { backoffDelay } from './backoff.js';
import type { ControlCommand } from './types.js';

export interface ControlSubscription {
  close(): void;
}

export function subscribeControls(options: {
  baseUrl: string;
  apiKey?: string;
  experimentId: string;
  onCommand: (command: ControlCommand) => void;
  onError: (error: Error) => void;
}): ControlSubscription {
  const socket = createWSClient({
    url: `${options.baseUrl.replace(/^http/, 'ws')}/api/trpc-ws`,
    // Node 20 has no global WebSocket. The open socket keeps the process alive (a paused
    // run waits on it) until finish() closes it.
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: options.apiKey ? { apiKey: options.apiKey } : undefined,
    retryDelayMs: (attempt) => backoffDelay(attempt, 200, 5000),
  });
  const client = createTRPCUntypedClient({ links: [wsLink({ client: socket, transformer: superjson })] });
  const seen = new Set<number>();
  const subscription = client.subscription(
    'session.controls',
    { experimentId: options.experimentId },
    {
      onData: (tracked: unknown) => {
        const command = (tracked as { data: ControlCommand }).data;
        if (seen.has(command.id)) return;
        seen.add(command.id);
        options.onCommand(command);
      },
      onError: (error) => options.onError(error),
    },
  );
  return {
    close: () => {
      subscription.unsubscribe();
      void socket.close();
    },
  };
}
