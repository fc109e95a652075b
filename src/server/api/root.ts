import { alertRouter } from './routers/alert';
import { apiKeyRouter, authRouter } from './routers/auth';
import { logRouter } from './routers/log';
import { metricRouter } from './routers/metric';
import { sessionRouter } from './routers/session';
import { systemRouter } from './routers/system';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  session: sessionRouter,
  log: logRouter,
  metric: metricRouter,
  system: systemRouter,
  auth: authRouter,
  apiKey: apiKeyRouter,
  alert: alertRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process, e.g. from server components: `createCaller({ services, auth })`. */
export const createCaller = createCallerFactory(appRouter);
