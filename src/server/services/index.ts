/**
 * The services of one app instance. Every door (tRPC, the REST shim, the plain sockets,
 * the collector's ingest) calls these; none holds rules of its own.
 */
import { env } from '../../env';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import { AlertService } from './alerts';
import { ApiKeyService } from './apiKeyService';
import { BatchIngest } from './batchIngest';
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
  batches: BatchIngest;
  apiKeys: ApiKeyService;
  alerts: AlertService;
  log: Logger;
}

export async function createServices(db: Database, log: Logger): Promise<Services> {
  const bus = new EventBus(db.pool, db.url, log.child('bus'));
  await bus.start();
  const store = new EventStore(db.pool, bus);
  const system = new SystemService(db.pool, bus, log.child('system'), {
    retention: {
      rawMs: env().SYSTEM_RAW_RETENTION_HOURS * 3_600_000,
      minuteMs: env().SYSTEM_MINUTE_RETENTION_DAYS * 86_400_000,
      hourMs: env().SYSTEM_HOUR_RETENTION_DAYS * 86_400_000,
    },
  });
  await system.start();
  const controls = new ControlService(db.pool, bus);
  const sessions = new SessionService(db.prisma, store, bus, controls);
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
    sessions,
    logs: new LogService(db.prisma, store, db.pool),
    metrics: new MetricService(db.pool, store),
    streams: new SessionStreams(store, bus),
    system,
    controls,
    batches: new BatchIngest(store, sessions),
    apiKeys: new ApiKeyService(db.prisma, bus),
    alerts,
    log,
  };
}
