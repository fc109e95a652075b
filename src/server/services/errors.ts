// Next.js bundles the pages' copy of this module apart from the server's, so `instanceof`
// fails across them; a brand in the global symbol registry is the same in every copy.
const BRAND = Symbol.for('cvsm.ServiceError');

/** Errors a service raises on purpose; each door maps them to its own status codes. */
export class ServiceError extends Error {
  readonly [BRAND] = true;

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && BRAND in value;
  }

  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST' | 'UNAVAILABLE',
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const sessionNotFound = (experimentId: string) =>
  new ServiceError('NOT_FOUND', `Training session '${experimentId}' not found`);
