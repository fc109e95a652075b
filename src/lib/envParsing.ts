/** Parsing of an environment against a zod schema, shared by the server's and the collector's. */
import { z } from 'zod';

export class EnvError extends Error {}

export const logLevel = z.enum(['debug', 'info', 'warn', 'error']).default('info');

/** Parses `source` with `schema`; throws an EnvError naming every bad variable. */
export function parseEnvWith<S extends z.ZodType>(schema: S, source: Record<string, string | undefined>): z.output<S> {
  // An empty variable means "not set", as in most shells' `VAR= cmd` idiom.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}
