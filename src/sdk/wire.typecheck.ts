/**
 * Compile-time check, not shipped: the SDK's own types must still fit the server's
 * procedures. `npm run typecheck` fails here when a schema changes under the SDK.
 */
import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from '../server/api/root';
import type { LogLevel as ServerLogLevel, SessionStatus } from '../shared/schemas/common';
import type { ControlCommand as ServerControlCommand } from '../shared/schemas/control';
import type { ControlCommand, LogLevel, RunEvent, RunStatus, StartRunOptions } from './types';

type Inputs = inferRouterInputs<AppRouter>['session'];
type Fits<A, B> = [A] extends [B] ? true : false;
type Same<A, B> = [Fits<A, B>, Fits<B, A>] extends [true, true] ? true : false;
type Assert<T extends true> = T;

export type WireChecks = [
  Assert<Fits<RunEvent, Inputs['ingest']['events'][number]>>,
  Assert<Fits<Omit<StartRunOptions, 'captureConsole'>, Inputs['create']>>,
  Assert<Same<RunStatus, SessionStatus>>,
  Assert<Same<LogLevel, ServerLogLevel>>,
  Assert<Same<ControlCommand, ServerControlCommand>>,
];
