/**
 * A stand-in for the older CV Studio web frontend: one page served by its own dev server on
 * another loopback port, doing what that frontend does against the API on `localhost`:
 * REST calls with JSON bodies, the two plain sockets with a `client_id`, and a reconnect
 * every 3 s after a socket closes. What it saw is written into the page's data attributes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const page = (api: string, run: string) => `<!doctype html>
<html><head><title>older frontend</title></head>
<body><pre id="state"></pre>
<script>
const API = ${JSON.stringify(api)};
const WS = API.replace(/^http/, 'ws');
const RUN = ${JSON.stringify(run)};
const state = { rest: [], opens: { system: 0, training: 0 }, frames: { system: 0, training: 0 }, logs: [] };
const show = () => {
  const el = document.getElementById('state');
  el.textContent = JSON.stringify(state);
  for (const kind of ['system', 'training']) {
    document.body.dataset[kind + 'Opens'] = state.opens[kind];
    document.body.dataset[kind + 'Frames'] = state.frames[kind];
  }
  document.body.dataset.rest = state.rest.join(',');
  document.body.dataset.logs = state.logs.join('|');
};
async function call(method, path, body) {
  const res = await fetch(API + '/api/v1/training/logs' + path, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  state.rest.push(method + ' ' + path + ' ' + res.status);
  show();
  return res.json();
}
function follow(kind, path) {
  const ws = new WebSocket(WS + path);
  ws.onopen = () => { state.opens[kind]++; show(); };
  ws.onmessage = (e) => {
    const frame = JSON.parse(e.data);
    if (frame.type === 'connection_established') return;
    state.frames[kind]++;
    if (frame.type === 'log') state.logs.push(frame.data.message);
    show();
  };
  ws.onclose = () => setTimeout(() => follow(kind, path), 3000);
}
window.logLine = (message) => call('POST', '/' + encodeURIComponent(RUN) + '/log', { level: 'INFO', message });
(async () => {
  await call('POST', '/session', { experiment_id: RUN, config: { lr: 0.01 }, total_epochs: 3 });
  await call('PUT', '/' + encodeURIComponent(RUN) + '/status', { status: 'running' });
  await call('POST', '/' + encodeURIComponent(RUN) + '/metrics', { epoch: 1, metrics: { loss: 0.5 } });
  await call('GET', '/' + encodeURIComponent(RUN) + '/info');
  follow('system', '/api/v1/ws/system?client_id=legacy-ui');
  follow('training', '/api/v1/ws/training/' + encodeURIComponent(RUN) + '?client_id=legacy-ui');
})();
show();
</script></body></html>`;

/** Serves the page on a free loopback port; resolves with its URL and a way to stop it. */
export async function serveLegacyFrontend(api: string, run: string): Promise<{ url: string; close: () => Promise<void> }> {
  const html = page(api, run);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
