/**
 * The services of one app instance. Every door (tRPC, the REST shim, the plain sockets,
 * the collector's ingest) calls these; none holds rules of its own.
 */
import { env } from '../../env';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import { AlertService } from './alerts';
import { ApiKeyService } from './apiKeyService';
import { ControlService } from './controlService';
import { EventBus } from './eventBus';
import { EventStore } from './eventStore';
import { LogService } from './logService';
import { MetricService } from './metricService';
import { SessionService } from './sessionService';
import { SessionStreams } from './sessionStream';
import { SystemService } from './systemService';

export interface Services {
  db: Database;
  bus: EventBus;
  store: EventStore;
  sessions: SessionService;
  logs: LogService;
  metrics: MetricService;
  streams: SessionStreams;
  system: SystemService;
  controls: ControlService;
  apiKeys: ApiKeyService;
  alerts: AlertService;
  log: Logger;
}

export async function createServices(db: Database, log: Logger): Promise<Services> {
  const bus = new EventBus(db.pool, db.url, log.child('bus'));
  await bus.start();
  const store = new EventStore(db.pool, bus);
  const system = new SystemService(db.pool, bus, log.child('system'), {
    retentionMs: env().SYSTEM_RETENTION_DAYS * 86_400_000,
  });
  await system.start();
  const controls = new ControlService(db.pool, bus);
  const e = env();
  const alerts = new AlertService(db, bus, store, system, log.child('alerts'), {
    enabled: e.ALERTS === 'on',
    baseUrl: e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`,
    throttleSeconds: e.ALERT_THROTTLE_SECONDS,
    webhookUrl: e.ALERT_WEBHOOK_URL,
    webhookFormat: e.ALERT_WEBHOOK_FORMAT,
  });
  await alerts.start();
  return {
    db,
    bus,
    store,
    sessions: new SessionService(db.prisma, store, bus, controls),
    logs: new LogService(db.prisma, store, db.pool),
    metrics: new MetricService(db.pool, store),
    streams: new SessionStreams(store, bus),
    system,
    controls,
    apiKeys: new ApiKeyService(db.prisma),
    alerts,
    log,
  };
}
