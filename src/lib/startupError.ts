/** The app cannot start as configured; the message says what to do (printed without a stack trace). */
export class StartupError extends Error {}
