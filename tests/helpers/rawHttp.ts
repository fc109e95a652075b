/**
 * HTTP as an attacker writes it: any Host header, any request target (`*`, absolute-form),
 * any content type, and WebSocket upgrades that report the status they were refused with.
 */
import http from 'node:http';
import net from 'node:net';
import WebSocket from 'ws';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request through node:http, which sends the headers it is given (Host included). */
export function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; path?: string } = {},
): Promise<RawAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: target.port,
        method: opts.method ?? 'GET',
        path: opts.path ?? `${target.pathname}${target.search}`,
        headers: opts.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Writes `text` as it is on a fresh connection and returns the status line's code. */
export function rawStatus(port: number, text: string): Promise<{ status: number; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let data = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), head: data.slice(0, end) });
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: 0, head: data }));
  });
}

/** The status a WebSocket upgrade gets: 101 when it opens (the socket is closed again). */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}
