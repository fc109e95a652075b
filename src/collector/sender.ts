/**
 * Sends samples to the server with the typed tRPC client over its WebSocket. Every sample
 * goes through a bounded buffer (the last 10 minutes): while the server is down the
 * collector keeps sampling into it, and on reconnect the backlog goes out oldest first, in
 * batches, so the host's history has no hole. The server stores a host's second once, so
 * a batch sent twice (its answer lost with the connection) does no harm.
 */
import { createTRPCClient, createWSClient, TRPCClientError, wsLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';
import WebSocket from 'ws';
import type { AppRouter } from '../server/api/root';
import { MAX_SAMPLES_PER_REPORT } from '../shared/schemas/system';
import type { SystemSample } from '../shared/systemSample';

/** 10 minutes at 1 Hz. */
export const BUFFER_SAMPLES = 600;
const BATCH = 120;
/** A report unanswered this long is given up and sent again later. */
const REPORT_TIMEOUT_MS = 15_000;

export interface SenderOptions {
  /** The server's base URL, e.g. http://127.0.0.1:8000 */
  server: string;
  apiKey?: string;
  bufferSize?: number;
  /** Reconnect delay after `attempt` failed tries; default 0.5 s doubling to 5 s. */
  retryDelayMs?: (attempt: number) => number;
  onError?: (error: Error) => void;
}

export function trpcWsUrl(server: string): string {
  const url = new URL('/api/trpc-ws', server);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export class SampleSender {
  /** Samples stored by the server (as it answered), for logs and tests. */
  stored = 0;
  /** Samples dropped because the buffer was full (an outage longer than it holds). */
  dropped = 0;
  private buffer: SystemSample[] = [];
  private sending = false;
  private closed = false;
  private readonly socket: ReturnType<typeof createWSClient>;
  private readonly api: TRPCClient<AppRouter>;
  private readonly bufferSize: number;
  private readonly drainedListeners = new Set<() => void>();
  private lastError: string | null = null;

  constructor(private readonly options: SenderOptions) {
    this.bufferSize = options.bufferSize ?? BUFFER_SAMPLES;
    this.socket = createWSClient({
      url: trpcWsUrl(options.server),
      // Node 20 has no global WebSocket.
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      // Read on each (re)connect; the server checks it once authentication is required.
      connectionParams: () => (options.apiKey ? { apiKey: options.apiKey } : {}),
      retryDelayMs: options.retryDelayMs ?? ((attempt) => Math.min(500 * 2 ** attempt, 5000)),
      onOpen: () => void this.pump(),
    });
    this.api = createTRPCClient<AppRouter>({ links: [wsLink({ client: this.socket, transformer: superjson })] });
  }

  get buffered(): number {
    return this.buffer.length;
  }

  /** Queues a sample and sends what is queued if the server is reachable. */
  push(sample: SystemSample): void {
    this.buffer.push(sample);
    if (this.buffer.length > this.bufferSize) {
      this.dropped += this.buffer.length - this.bufferSize;
      this.buffer.splice(0, this.buffer.length - this.bufferSize);
    }
    void this.pump();
  }

  /** Resolves once the buffer is empty (everything sent and acknowledged). */
  drained(): Promise<void> {
    if (this.buffer.length === 0 && !this.sending) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.drainedListeners.delete(done);
        resolve();
      };
      this.drainedListeners.add(done);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.socket.close();
  }

  private async pump(): Promise<void> {
    if (this.sending || this.closed) return;
    this.sending = true;
    try {
      while (this.buffer.length > 0 && !this.closed) {
        const batch = this.buffer.slice(0, Math.min(BATCH, MAX_SAMPLES_PER_REPORT));
        try {
          const { stored } = await this.api.system.report.mutate(
            { samples: batch },
            { signal: AbortSignal.timeout(REPORT_TIMEOUT_MS) },
          );
          this.stored += stored;
          this.lastError = null;
        } catch (error) {
          if (rejected(error)) {
            // The server will never take these (a bug, or a server of another version): not worth a stuck buffer.
            this.options.onError?.(error as Error);
            this.dropped += batch.length;
            this.remove(batch);
            continue;
          }
          // Kept for the next try: the next tick, or the reconnect.
          const message = (error as Error).message;
          if (message !== this.lastError) this.options.onError?.(error as Error);
          this.lastError = message;
          return;
        }
        this.remove(batch);
      }
    } finally {
      this.sending = false;
      if (this.buffer.length === 0) for (const listener of [...this.drainedListeners]) listener();
    }
  }

  /** The buffer may have shifted meanwhile (oldest dropped); removes exactly these. */
  private remove(batch: SystemSample[]): void {
    const sent = new Set(batch);
    this.buffer = this.buffer.filter((s) => !sent.has(s));
  }
}

function rejected(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  const code = (error.data as { code?: string } | undefined)?.code;
  return code === 'BAD_REQUEST' || code === 'PAYLOAD_TOO_LARGE';
}
