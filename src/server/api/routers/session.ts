import { tracked } from '@trpc/server';
import {
  createSessionInput,
  listSessionsInput,
  sessionEventsInput,
  sessionKey,
  setStatusInput,
} from '../../../shared/schemas/session';
import { controlStreamInput, requestControlInput } from '../../../shared/schemas/control';
import { ingestBatchInput } from '../../../shared/schemas/events';
import { adminProcedure, createTRPCRouter, publicProcedure } from '../trpc';

export const sessionRouter = createTRPCRouter({
  create: publicProcedure.input(createSessionInput).mutation(({ ctx, input }) => ctx.services.sessions.create(input)),

  get: publicProcedure.input(sessionKey).query(({ ctx, input }) => ctx.services.sessions.get(input.experimentId)),

  list: publicProcedure.input(listSessionsInput).query(({ ctx, input }) => ctx.services.sessions.list(input)),

  setStatus: publicProcedure.input(setStatusInput).mutation(({ ctx, input }) => ctx.services.sessions.setStatus(input)),

  /** Every status change of a session, oldest first. */
  statusHistory: publicProcedure
    .input(sessionKey)
    .query(({ ctx, input }) => ctx.services.sessions.statusHistory(input.experimentId)),

  heartbeat: publicProcedure.input(sessionKey).mutation(({ ctx, input }) => ctx.services.sessions.heartbeat(input.experimentId)),

  delete: adminProcedure.input(sessionKey).mutation(async ({ ctx, input }) => {
    await ctx.services.sessions.delete(input.experimentId);
    return { deleted: input.experimentId };
  }),

  /**
   * Logs and metric reports of one run in its order, in one call. With a producer id and
   * numbered events, a retried batch stores nothing twice.
   */
  ingest: publicProcedure
    .input(ingestBatchInput)
    .mutation(({ ctx, input }) => ctx.services.batches.append(input.experimentId, input.events, input.producer?.id)),

  /**
   * The session's events, resumable: reconnecting with `lastEventId` yields every event
   * stored after it, then live ones. A session not created yet is waited for.
   */
  events: publicProcedure.input(sessionEventsInput).subscription(async function* ({ ctx, input, signal }) {
    for await (const { id, item } of ctx.services.streams.events(input.experimentId, input.lastEventId, signal)) {
      yield tracked(id, item);
    }
  }),

  /** Asks the run's trainer to pause, resume or stop; it answers by changing status. */
  requestControl: publicProcedure
    .input(requestControlInput)
    .mutation(({ ctx, input }) => ctx.services.controls.request(input.experimentId, input.action, input.message)),

  /** The run's control requests for its trainer: pending ones first, then new ones; resumable. */
  controls: publicProcedure.input(controlStreamInput).subscription(async function* ({ ctx, input, signal }) {
    for await (const { id, command } of ctx.services.controls.stream(input.experimentId, input.lastEventId, signal)) {
      yield tracked(id, command);
    }
  }),

  /** Sessions created, updated or deleted, for lists. */
  changes: publicProcedure.subscription(async function* ({ ctx, signal }) {
    yield* ctx.services.streams.changes(signal);
  }),
});
