/** The options a run works with, defaults filled in (see Monitor's constructor). */
import type { CallOptions } from './http.js';
import type { MonitorError } from './types.js';

export interface RunSettings {
  call: CallOptions;
  apiKey?: string;
  batchSize: number;
  flushIntervalMs: number;
  maxBatchBytes: number;
  queueCapacity: number;
  whenFull: 'block' | 'drop-debug';
  retryInitialMs: number;
  retryMaxMs: number;
  heartbeatMs: number;
  onError: (error: MonitorError) => void;
}
