import {
  systemFleetHistoryInput,
  systemHistoryInput,
  systemHostRunsInput,
  systemLiveInput,
  systemReportInput,
} from '../../../shared/schemas/system';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const systemRouter = createTRPCRouter({
  /** A collector's samples (one, or a buffered backlog in order); replays are stored once. */
  report: publicProcedure.input(systemReportInput).mutation(({ ctx, input }) => ctx.services.system.report(input.samples)),

  /** Every host that has reported, online or not, with its newest sample. */
  hosts: publicProcedure.query(({ ctx }) => ctx.services.system.hosts()),

  /** A host's series over a time range, at most maxPoints buckets each (avg, min, max). */
  history: publicProcedure.input(systemHistoryInput).query(({ ctx, input }) => ctx.services.system.history(input)),

  /** One metric of every host over a time range, at most maxPoints buckets each, columnar. */
  fleetHistory: publicProcedure.input(systemFleetHistoryInput).query(({ ctx, input }) => ctx.services.system.fleetHistory(input)),

  /** The runs that ran on a host within a time range, to mark on its charts. */
  runs: publicProcedure.input(systemHostRunsInput).query(({ ctx, input }) => ctx.services.system.runsOn(input)),

  /** The compact fleet message once a second: per host online state, labels, per GPU numbers. */
  fleet: publicProcedure.subscription(async function* ({ ctx, signal }) {
    yield* ctx.services.system.fleetLive(signal);
  }),

  /** Samples as they arrive, of every host or one; starts with each host's latest. */
  live: publicProcedure.input(systemLiveInput).subscription(async function* ({ ctx, input, signal }) {
    yield* ctx.services.system.live(input.host, signal);
  }),
});
