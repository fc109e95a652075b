import type http from 'node:http';
import type { Services } from '../services';
import { sendJson } from './respond';

const startedAt = Date.now();

/** 200 when the database answers within a second, 503 otherwise. */
export async function handleHealth(services: Services, res: http.ServerResponse): Promise<void> {
  let database = 'ok';
  try {
    await Promise.race([
      services.db.pool.query('SELECT 1'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000).unref()),
    ]);
  } catch {
    database = 'unavailable';
  }
  const ok = database === 'ok';
  sendJson(res, ok ? 200 : 503, {
    status: ok ? 'ok' : 'unavailable',
    database,
    uptime_s: Math.round((Date.now() - startedAt) / 1000),
  });
}
