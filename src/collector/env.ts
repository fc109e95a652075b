/**
 * The collector's own environment: a host that runs only the collector may have any PORT or
 * DATABASE_URL of its own, so it reads nothing of the server's.
 */
import { z } from 'zod';
import { logLevel, parseEnvWith } from '../lib/envParsing';

const collectorEnvSchema = z.object({
  /** debug | info | warn | error */
  LOG_LEVEL: logLevel,
  /** Labels carried with the host, `name=value` comma-separated (also `--label`). */
  CVSM_LABELS: z.string().optional(),
  /** API key presented to the server (also `--key`). */
  CVSM_API_KEY: z.string().min(1).optional(),
});

export type CollectorEnv = z.infer<typeof collectorEnvSchema>;

export const collectorEnv = (source: Record<string, string | undefined> = process.env): CollectorEnv =>
  parseEnvWith(collectorEnvSchema, source);
