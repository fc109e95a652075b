import type http from 'node:http';
import type { Services } from '../services';
import { sendJson } from './respond';

const startedAt = Date.now();

/** 200 when the database answers within a second, 503 otherwise. */
export async function handleHealth(services: Services, res: http.ServerResponse): Promise<void> {
  const ok = await services.db.answers(1000);
  const database = ok ? 'ok' : 'unavailable';
  sendJson(res, ok ? 200 : 503, {
    status: ok ? 'ok' : 'unavailable',
    database,
    uptime_s: Math.round((Date.now() - startedAt) / 1000),
  });
}
