/** Size limits on what the API accepts. Every door answers a breach with a 4xx naming it. */
export const LIMITS = {
  experimentIdLength: 128,
  logMessageLength: 64 * 1024,
  logSourceLength: 128,
  metricNameLength: 128,
  metricsPerReport: 1000,
  eventsPerBatch: 5000,
  configBytes: 256 * 1024,
  /** Nesting of a config's objects and arrays: deeper ones cannot be serialised safely. */
  configDepth: 64,
  /** Nesting of a whole decoded input (tRPC's superjson envelope included). */
  inputDepth: 200,
  /**
   * Values in one decoded input once superjson's shared references are expanded; a body
   * within the default 5 MiB limit holds fewer than this without references.
   */
  inputValues: 3_000_000,
  /** How far ahead of the server's clock a host sample may be dated (clock skew). */
  sampleFutureMs: 5 * 60 * 1000,
  statusMessageLength: 4096,
  hostLength: 255,
  listLimit: 10_000,
} as const;
