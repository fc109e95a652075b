/**
 * The fan-out baseline: a bare `ws` server that serialises each event once and sends the
 * same frame to every socket. Run as its own process so its CPU time can be read.
 * Control: GET /start?rate=R&seconds=S starts a burst of R events per second for S seconds.
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/start') return void res.writeHead(404).end();
  const rate = Number(url.searchParams.get('rate'));
  const seconds = Number(url.searchParams.get('seconds'));
  res.end('ok');
  let seq = 0;
  const total = rate * seconds;
  const started = Date.now();
  const tick = () => {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
    while (seq < due) {
      seq++;
      const frame = JSON.stringify({ type: 'log', data: { seq, level: 'INFO', message: `sent=${Date.now()}`, source: 'bench' } });
      for (const client of wss.clients) client.send(frame);
    }
    if (seq < total) setTimeout(tick, 5);
  };
  tick();
});
const wss = new WebSocketServer({ server });
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`${port}\n`);
});
