/**
 * The /info baseline: plain node:http and pg, one SELECT of the run's row per request, no
 * authentication, no validation, no envelope. What the database and Node allow at the least.
 * Prints its port on stdout once listening. DATABASE_URL names the database.
 */
import http from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const server = http.createServer((req, res) => {
  const experimentId = decodeURIComponent(req.url!.split('/')[5]!);
  pool.query('SELECT * FROM training_session WHERE experiment_id = $1', [experimentId]).then(
    ({ rows }) => {
      const text = JSON.stringify({ success: true, data: rows[0] ?? null });
      res.writeHead(rows[0] ? 200 : 404, { 'content-type': 'application/json' });
      res.end(text);
    },
    () => res.writeHead(500).end(),
  );
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
