import type http from 'node:http';

export function sendJson(res: http.ServerResponse, status: number, body: unknown, serialized?: string): void {
  const text = serialized ?? JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
