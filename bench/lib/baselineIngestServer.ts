/**
 * The REST-ingest baseline: plain node:http and pg, one INSERT per request, no validation,
 * no events, no envelope. What the database and Node allow at the least.
 * Prints its port on stdout once listening. DATABASE_URL names the database.
 */
import http from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query(`CREATE TABLE IF NOT EXISTS baseline_log (
  id bigserial PRIMARY KEY, experiment_id text NOT NULL, level text NOT NULL,
  message text NOT NULL, source text NOT NULL, "timestamp" timestamptz NOT NULL)`);

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString()) as { level?: string; message: string; source?: string };
    const experimentId = req.url!.split('/')[5]!;
    pool
      .query('INSERT INTO baseline_log (experiment_id, level, message, source, "timestamp") VALUES ($1, $2, $3, $4, now())', [
        experimentId,
        body.level ?? 'INFO',
        body.message,
        body.source ?? 'trainer',
      ])
      .then(
        () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"success":true}');
        },
        () => res.writeHead(500).end(),
      );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
