import type http from 'node:http';
import type { Services } from '../services';
import { prometheusText } from './prometheus';

/** GET /metrics: every host and GPU for Prometheus (access is checked by the caller, as for the API). */
export function handleMetrics(services: Services, res: http.ServerResponse): void {
  const body = prometheusText(services.system.hosts());
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}
