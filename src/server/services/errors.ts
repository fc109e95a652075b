/** Errors a service raises on purpose; each door maps them to its own status codes. */
export class ServiceError extends Error {
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
