/** Plain HTTP and plain WebSocket clients for the REST shim, as the older clients use it. */
import WebSocket from 'ws';
import { parseLenientJson } from '../../src/server/wire/lenientJson';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body read as the older clients read it (Python's json: NaN and Infinity allowed). */
  json: Record<string, unknown>;
}

/** One request; a string body is sent as is, anything else as JSON. */
export async function call(base: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: parseLenientJson(text) as Record<string, unknown> };
}

/** Where the REST shim's training-log routes sit. */
export const LOGS = '/api/v1/training/logs';

/** A `call` on the training-log routes of `server`, read at each call (a handle opened in beforeAll will do). */
export function trainingLogs(server: { url: string }) {
  return (method: string, path: string, body?: unknown) => call(server.url, method, `${LOGS}${path}`, body);
}

export interface Frame {
  type: string;
  data?: Record<string, unknown>;
}

/** A plain socket that keeps every frame and lets a test await the ones it expects. */
export class PlainSocket {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number }>;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      this.frames.push(parseLenientJson(raw.toString()) as Frame);
      for (const wake of this.waiters) wake();
    });
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve({ code })));
  }

  /** Opens `path` and waits for its connection_established frame. */
  static async open(base: string, path: string): Promise<PlainSocket> {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}${path}`);
    const socket = new PlainSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await socket.next(1);
    return socket;
  }

  /** Resolves with the first `count` frames once that many arrived. */
  next(count: number, timeoutMs = 10_000): Promise<Frame[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.frames.length < count) return false;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(this.frames.slice(0, count));
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`timed out waiting for ${count} frames; have ${JSON.stringify(this.frames.map((f) => f.type))}`));
      }, timeoutMs);
      if (!check()) this.waiters.push(check);
    });
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.close();
    await this.closed;
  }
}

export const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
