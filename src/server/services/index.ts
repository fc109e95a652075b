/**
 * The services of one app instance. Every door (tRPC, the REST shim, the plain sockets,
 * the collector's ingest) calls these; none holds rules of its own.
 */
import type { Database } from '../db/database';
import type { Logger } from '../../lib/logger';
import { AlertService, type AlertServiceOptions } from './alerts';
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
import type { Retention } from './system/hostRollups';

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
  /** Stops the background work, then the bus, then the database: in that order, once. */
  close(): Promise<void>;
}

/** What the composition root decides (see src/server/config.ts); services read no environment. */
export interface ServicesOptions {
  /** How long each tier of host history is kept. */
  retention: Retention;
  alerts: AlertServiceOptions;
}

export async function createServices(db: Database, log: Logger, options: ServicesOptions): Promise<Services> {
  const bus = new EventBus(db.pool, db.url, log.child('bus'));
  await bus.start();
  const store = new EventStore(db.pool, bus);
  const system = new SystemService(db.pool, bus, log.child('system'), { retention: options.retention });
  await system.start();
  const controls = new ControlService(db.pool, bus);
  const sessions = new SessionService(db.prisma, store, bus, controls);
  const alerts = new AlertService(db, bus, store, system, log.child('alerts'), options.alerts);
  await alerts.start();
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      // Alerts and the rollup job write through the bus and the pool: they stop first.
      await alerts.close();
      system.close();
      await bus.close();
      await db.close();
    })());
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
    close,
  };
}
