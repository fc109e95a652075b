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
  statusMessageLength: 4096,
  hostLength: 255,
  listLimit: 10_000,
} as const;
