/**
 * The plain WebSocket streams of the older API: /api/v1/ws/system and
 * /api/v1/ws/training/{experiment_id}. Training frames come from the same session event
 * stream as the tRPC subscriptions; system frames from the system service's live samples.
 *
 * Plain sockets are live-only: a training socket starts at the session's current head and
 * never replays history. A client with more than `bufferLimitBytes` waiting has stopped
 * reading and is cut off, so the server never holds more than that for it; until then its
 * frames wait in a queue that costs the publisher nothing (./outbox.ts).
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { experimentId as experimentIdSchema } from '../../shared/schemas/common';
import type { Logger } from '../../lib/logger';
import type { Services } from '../services';
import { eventFrameBytes, frameBytes, systemFrameBytes, type Frame } from './frames';
import { createOutbox } from './outbox';
import { SocketRegistry, type SocketStats } from './socketStats';

export const SYSTEM_PATH = '/api/v1/ws/system';
const TRAINING_PATH = /^\/api\/v1\/ws\/training\/([^/]+)$/;

export interface PlainSocketOptions {
  /** A client with more than this many bytes waiting to be sent is terminated. */
  bufferLimitBytes: number;
  log: Logger;
}

export interface PlainSockets {
  /** Takes the upgrade if the path is one of the plain streams (`onOpen` sees the socket); false otherwise. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, onOpen?: (ws: WebSocket) => void): boolean;
  stats(): SocketStats;
  /** Closes every plain socket (1001, going away). */
  close(): void;
}

function reject(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function createPlainSockets(services: Services, options: PlainSocketOptions): PlainSockets {
  // Clients only ever send small control frames (ping).
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const registry = new SocketRegistry();
  const { log } = options;

  /**
   * Sends a frame (or its bytes, encoded once for all sockets) through the socket's outbox,
   * which never makes the publisher wait on a client that stopped reading (./outbox.ts).
   */
  const sender = (ws: WebSocket, socket: Duplex, clientId: string) => {
    const outbox = createOutbox(ws, socket, options.bufferLimitBytes, (buffered) =>
      log.warn('plain socket cut off: client is not reading', { clientId, buffered }),
    );
    return (frame: Frame | Buffer) => outbox.send(Buffer.isBuffer(frame) ? frame : frameBytes(frame));
  };

  /** Answers ping with pong; every other client frame is ignored, as the older API did. */
  const onClientFrames = (ws: WebSocket, send: (f: Frame | Buffer) => void) => {
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return;
      try {
        const message = JSON.parse(raw.toString()) as { type?: unknown };
        if (message?.type === 'ping') send({ type: 'pong' });
      } catch {
        // Not JSON: ignored.
      }
    });
    ws.on('error', (error) => log.debug('plain socket error', { error: error.message }));
  };

  function serveSystem(ws: WebSocket, socket: Duplex, clientId: string): void {
    const release = registry.open({ kind: 'system' });
    const send = sender(ws, socket, clientId);
    const unsubscribe = services.system.onSample((sample) => send(systemFrameBytes(sample)));
    ws.once('close', () => {
      unsubscribe();
      release();
    });
    onClientFrames(ws, send);
    send({
      type: 'connection_established',
      data: { client_id: clientId, subscription: 'system_stats', message: 'Connected to system stats stream' },
    });
  }

  async function serveTraining(ws: WebSocket, socket: Duplex, clientId: string, experimentId: string): Promise<void> {
    const release = registry.open({ kind: 'training', experimentId });
    const send = sender(ws, socket, clientId);
    const stop = new AbortController();
    ws.once('close', () => {
      stop.abort();
      release();
    });
    onClientFrames(ws, send);
    try {
      // Fixed before connection_established, so every event stored after that frame reaches the client.
      const from = await services.streams.headEventId(experimentId);
      send({
        type: 'connection_established',
        data: {
          client_id: clientId,
          subscription: `training_logs:${experimentId}`,
          experiment_id: experimentId,
          message: `Connected to training stream of '${experimentId}'`,
        },
      });
      for await (const { item } of services.streams.events(experimentId, from, stop.signal)) {
        // A deleted session is waited for like one not created yet: the socket stays open.
        if (item.kind !== 'events') continue;
        for (const event of item.events) send(eventFrameBytes(event));
      }
    } catch (error) {
      log.error('training stream failed', { experimentId, clientId, error });
      ws.close(1011, 'stream failed');
    }
  }

  return {
    handleUpgrade(req, socket, head, onOpen) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      let experimentId: string | null = null;
      if (url.pathname !== SYSTEM_PATH) {
        const match = TRAINING_PATH.exec(url.pathname);
        if (!match) return false;
        let decoded: string;
        try {
          decoded = decodeURIComponent(match[1]!);
        } catch {
          reject(socket, '400 Bad Request');
          return true;
        }
        const parsed = experimentIdSchema.safeParse(decoded);
        if (!parsed.success) {
          reject(socket, '400 Bad Request');
          return true;
        }
        experimentId = parsed.data;
      }
      const clientId = url.searchParams.get('client_id') || randomUUID();
      wss.handleUpgrade(req, socket, head, (ws) => {
        onOpen?.(ws);
        if (experimentId === null) serveSystem(ws, socket, clientId);
        else void serveTraining(ws, socket, clientId, experimentId);
      });
      return true;
    },
    stats: () => registry.snapshot(),
    close() {
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      wss.close();
    },
  };
}
