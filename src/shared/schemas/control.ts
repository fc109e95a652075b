import { z } from 'zod';
import { LIMITS } from '../limits';
import { experimentId, text } from './common';

/** What the web app can ask a running trainer to do. */
export const CONTROL_ACTIONS = ['pause', 'resume', 'stop'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

export const requestControlInput = z.object({
  experimentId,
  action: z.enum(CONTROL_ACTIONS).describe('pause | resume | stop'),
  message: text(LIMITS.statusMessageLength).optional(),
});
export type RequestControlInput = z.infer<typeof requestControlInput>;

export const controlStreamInput = z.object({
  experimentId,
  /** The id of the last control request received; the stream resumes after it. */
  lastEventId: z.string().max(64).nullish(),
});

/** A control request for a run's trainer, as its stream delivers it. */
export interface ControlCommand {
  id: number;
  action: ControlAction;
  message: string | null;
  requestedAt: Date;
}
