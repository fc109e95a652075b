/** Recognises the errors that mean "the database is not reachable right now". */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  // A statement cancelled by statement_timeout: the database is too busy or stuck right now.
  '57014',
  // Prisma's names for the same: can't reach the server, timed out, connection closed.
  'P1001',
  'P1002',
  'P1017',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = (e as Error & { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
    if (
      /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Can't reach database server/i.test(
        e.message,
      )
    ) {
      return true;
    }
  }
  return false;
}
