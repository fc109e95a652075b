/** What each REST endpoint does: translate the wire input, call a service, map the answer. */
import type { z } from 'zod';
import { LIMITS } from '../../shared/limits';
import type { SessionInfo } from '../../shared/types';
import type { Services } from '../services';
import { ok } from './envelope';
import { endpoints, type Endpoint, type EndpointName, type wsStats } from './endpoints';
import { toWireControl, toWireLog, toWireMetrics, toWireSession } from '../wire/mappers';
import { waitForControls } from './controlPoll';
import { buildOpenApiDocument } from './openapi';

export type HandlerInput<E> =
  E extends Endpoint<infer B, infer Q> ? { experimentId: string; body: z.output<B>; query: z.output<Q> } : never;

export type Handlers = {
  [K in EndpointName]: (input: HandlerInput<(typeof endpoints)[K]>) => Promise<unknown>;
};

export interface HandlerDeps {
  /** The plain sockets' counts, handed in by app.ts: the REST door does not reach into another door. */
  socketStats: () => z.output<typeof wsStats>;
}

export function createHandlers(services: Services, deps: HandlerDeps): Handlers {
  let openapi: unknown;
  return {
    createSession: async ({ body }) => {
      const id = body.experiment_id;
      const { session, created } = await services.sessions.create({
        experimentId: id,
        config: body.config,
        totalEpochs: body.total_epochs,
        host: body.host,
      });
      return ok({
        message: created ? `Training session '${id}' created` : `Training session '${id}' already exists`,
        data: { ...toWireSession(session), created },
      });
    },

    listSessions: async () => {
      // The older API had no paging: every session, up to the list limit.
      const sessions: SessionInfo[] = [];
      let cursor: number | undefined;
      do {
        const page = await services.sessions.list({ limit: 1000, cursor });
        sessions.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined && sessions.length < LIMITS.listLimit);
      return ok({ data: sessions.map(toWireSession), count: sessions.length });
    },

    setStatus: async ({ experimentId, body }) => {
      const session = await services.sessions.setStatus({ experimentId, status: body.status, message: body.message });
      return ok({ message: `Status of '${experimentId}' set to ${session.status}`, data: toWireSession(session) });
    },

    appendLog: async ({ experimentId, body }) => {
      const entry = await services.logs.append(experimentId, body);
      return ok({ message: 'Log entry added', data: toWireLog(entry) });
    },

    appendMetrics: async ({ experimentId, body }) => {
      const report = await services.metrics.append(experimentId, { epoch: body.epoch, step: body.step, values: body.metrics });
      return ok({ message: 'Metrics added', data: toWireMetrics(report) });
    },

    ingestBatch: async ({ experimentId, body }) => {
      // The wire names a report's values `metrics`; the services call them `values`.
      const events = body.events.map((event) => {
        if (event.type !== 'metrics') return event;
        const { metrics, ...rest } = event;
        return { ...rest, values: metrics };
      });
      const result = await services.batches.ingest(experimentId, {
        producerId: body.producer_id,
        firstSeq: body.first_seq,
        events,
      });
      return ok({
        message: `${result.stored} event(s) stored, ${result.duplicates} already stored`,
        data: { stored: result.stored, duplicates: result.duplicates, last_seq: result.lastSeq },
      });
    },

    pollControl: async ({ experimentId, query }) => {
      await services.sessions.heartbeat(experimentId);
      const commands = await waitForControls(services, experimentId, query.after, query.wait * 1000);
      return ok({ data: commands.map(toWireControl), count: commands.length });
    },

    listMetrics: async ({ experimentId, query }) => {
      const reports = await services.metrics.list({ experimentId, limit: query.limit });
      return ok({ data: reports.map(toWireMetrics), count: reports.length });
    },

    sessionInfo: async ({ experimentId }) => ok({ data: toWireSession(await services.sessions.get(experimentId)) }),

    listLogs: async ({ experimentId, query }) => {
      const { items } = await services.logs.list({
        experimentId,
        level: query.level,
        minLevel: query.min_level,
        limit: query.limit,
      });
      return ok({ data: items.map(toWireLog), count: items.length });
    },

    deleteSession: async ({ experimentId }) => {
      await services.sessions.delete(experimentId);
      return ok({ message: `Training session '${experimentId}' deleted` });
    },

    wsStats: async () => deps.socketStats(),

    openapi: async () => (openapi ??= buildOpenApiDocument()),
  };
}

export { endpoints };
