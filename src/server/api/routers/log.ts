import { appendLogBatchInput, appendLogInput } from '../../../shared/schemas/events';
import { listLogsInput } from '../../../shared/schemas/queries';
import { sessionKey } from '../../../shared/schemas/session';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const logRouter = createTRPCRouter({
  append: publicProcedure
    .input(appendLogInput)
    .mutation(({ ctx, input: { experimentId, ...entry } }) => ctx.services.logs.append(experimentId, entry)),

  appendBatch: publicProcedure
    .input(appendLogBatchInput)
    .mutation(({ ctx, input }) => ctx.services.logs.appendBatch(input.experimentId, input.entries)),

  list: publicProcedure.input(listLogsInput).query(({ ctx, input }) => ctx.services.logs.list(input)),

  countByLevel: publicProcedure.input(sessionKey).query(({ ctx, input }) => ctx.services.logs.countByLevel(input.experimentId)),
});
