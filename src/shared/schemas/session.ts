import { z } from 'zod';
import { LIMITS } from '../limits';
import { config, experimentId, sessionStatus, text } from './common';

export const sessionKey = z.object({ experimentId });

export const createSessionInput = z.object({
  experimentId,
  /** Left as stored when omitted for an existing session. */
  config: config.optional(),
  totalEpochs: z.number().int().min(0).max(2_147_483_647).optional(),
  host: text(LIMITS.hostLength).optional(),
});
export type CreateSessionInput = z.infer<typeof createSessionInput>;

export const setStatusInput = z.object({
  experimentId,
  status: sessionStatus,
  message: text(LIMITS.statusMessageLength).optional(),
});
export type SetStatusInput = z.infer<typeof setStatusInput>;

export const listSessionsInput = z.object({
  status: z.array(sessionStatus).optional(),
  search: z.string().max(LIMITS.experimentIdLength).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  /** The `nextCursor` of the previous page. */
  cursor: z.number().int().optional(),
});
export type ListSessionsInput = z.input<typeof listSessionsInput>;

export const sessionEventsInput = z.object({
  experimentId,
  /** The id of the last event received; the stream resumes right after it. */
  lastEventId: z.string().max(64).nullish(),
});
