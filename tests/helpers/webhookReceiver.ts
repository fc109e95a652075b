/** A local webhook endpoint on a free port that records what it is sent; it can be told to fail. */
import http from 'node:http';
import type net from 'node:net';

export interface Received {
  path: string;
  body: Record<string, unknown>;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** Answer every request with this status (500: the receiver is down) until set back to 200. */
  status: number;
  /** Bodies sent to one path (each format under its own path). */
  on(path: string): Received[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const receiver: WebhookReceiver = {
    url: '',
    received,
    status: 200,
    on: (path) => received.filter((r) => r.path === path),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (c: string) => (raw += c));
    req.on('end', () => {
      if (receiver.status === 200) received.push({ path: req.url ?? '/', body: JSON.parse(raw), at: Date.now() });
      res.writeHead(receiver.status, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return receiver;
}
