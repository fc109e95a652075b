import { isDatabaseUnavailable } from '../db/errors';

// Next.js bundles the pages' copy of this module apart from the server's, so `instanceof`
// fails across them; a brand in the global symbol registry is the same in every copy.
const BRAND = Symbol.for('cvsm.ServiceError');

export type ServiceErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST' | 'UNAVAILABLE';

/** Errors a service raises on purpose; each door maps them to its own status codes. */
export class ServiceError extends Error {
  readonly [BRAND] = true;

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && BRAND in value;
  }

  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ServiceError';
  }
}

export const sessionNotFound = (experimentId: string) =>
  new ServiceError('NOT_FOUND', `Training session '${experimentId}' not found`);

/** Nothing was stored: clients (the SDK, the collector, the Python client) wait and retry. */
export const databaseUnavailable = (cause?: unknown) =>
  new ServiceError('UNAVAILABLE', 'The database is unavailable; try again shortly', { cause });

/**
 * What a thrown error means to a client: a ServiceError as raised, an unreachable or timed
 * out database as UNAVAILABLE, and null for anything else, a fault the door logs and answers
 * as an internal error. Every door asks this one function, then maps the code.
 */
export function classifyError(error: unknown): ServiceError | null {
  if (error instanceof ServiceError) return error;
  if (isDatabaseUnavailable(error)) return databaseUnavailable(error);
  return null;
}
