import { appendMetricsBatchInput, appendMetricsInput } from '../../../shared/schemas/events';
import { listMetricsInput, metricSeriesInput } from '../../../shared/schemas/queries';
import { sessionKey } from '../../../shared/schemas/session';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const metricRouter = createTRPCRouter({
  append: publicProcedure
    .input(appendMetricsInput)
    .mutation(({ ctx, input: { experimentId, ...report } }) => ctx.services.metrics.append(experimentId, report)),

  appendBatch: publicProcedure
    .input(appendMetricsBatchInput)
    .mutation(({ ctx, input }) => ctx.services.metrics.appendBatch(input.experimentId, input.reports)),

  list: publicProcedure.input(listMetricsInput).query(({ ctx, input }) => ctx.services.metrics.list(input)),

  names: publicProcedure.input(sessionKey).query(({ ctx, input }) => ctx.services.metrics.names(input.experimentId)),

  /** Series thinned for charts: at most maxPoints buckets per metric over the range, with min/max. */
  series: publicProcedure.input(metricSeriesInput).query(({ ctx, input }) => ctx.services.metrics.series(input)),
});
