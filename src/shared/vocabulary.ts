/**
 * The fixed words of the domain, free of any library so the browser can import them
 * without pulling in the schemas' validator.
 */
export const SESSION_STATUSES = ['queued', 'running', 'paused', 'completed', 'failed', 'stopped'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const TERMINAL_STATUSES: readonly SessionStatus[] = ['completed', 'failed', 'stopped'];

/** In ascending severity. */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
