/**
 * One tRPC procedure call over HTTP (the non-batched wire format: POST the superjson input,
 * read `result.data` or `error`). Written on fetch rather than a tRPC link so the caller
 * sees the status code, Retry-After and zod's issue paths, which drive retries and the
 * isolation of a bad event.
 */
import superjson from 'superjson';
import { parseRetryAfter } from './backoff.js';

export interface Issue {
  path: (string | number)[];
  message: string;
}

export class CallError extends Error {
  constructor(
    message: string,
    /** HTTP status; null when no answer came (refused, reset, timed out). */
    readonly status: number | null,
    readonly retryAfterMs: number | null = null,
    readonly issues: Issue[] = [],
  ) {
    super(message);
    this.name = 'CallError';
  }

  /**
   * Worth trying again: no answer, a timeout, throttling or a server fault. A refused key
   * (401, 403) is a configuration error: retrying would only stall the run, so it is reported.
   */
  get retryable(): boolean {
    const s = this.status;
    return s === null || s === 408 || s === 429 || s >= 500;
  }
}

interface ErrorShape {
  message?: string;
  data?: { httpStatus?: number; code?: string; issues?: Issue[] | null };
}

/** The server lists zod's issues with their paths; older servers only had them, as JSON, in the message. */
function issuesOf(shape: ErrorShape | null, message: string): Issue[] {
  if (Array.isArray(shape?.data?.issues)) return shape.data.issues;
  if (!message.startsWith('[')) return [];
  try {
    const parsed: unknown = JSON.parse(message);
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((i: unknown) => {
      const issue = i as Partial<Issue>;
      return Array.isArray(issue.path) && typeof issue.message === 'string' ? [{ path: issue.path, message: issue.message }] : [];
    });
  } catch {
    return [];
  }
}

type Serialized = Parameters<typeof superjson.deserialize>[0];

function parseBody(text: string): { result?: { data?: Serialized }; error?: Serialized } | null {
  try {
    return JSON.parse(text) as { result?: { data?: Serialized }; error?: Serialized };
  } catch {
    // A proxy's HTML error page, a cut body: judged by the status alone.
    return null;
  }
}

export interface CallOptions {
  baseUrl: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export async function callProcedure(options: CallOptions, path: string, input: unknown): Promise<unknown> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${options.baseUrl}/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(superjson.serialize(input)),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    throw new CallError(`${path}: ${cause?.code ?? (error as Error).message}`, null);
  }
  const body = parseBody(text);
  if (response.ok && body?.result) {
    return body.result.data === undefined ? undefined : superjson.deserialize(body.result.data);
  }
  const shape = body?.error ? superjson.deserialize<ErrorShape>(body.error) : null;
  const status = response.ok ? 502 : response.status;
  const message = shape?.message ?? `HTTP ${status}`;
  const retryAfter = status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after')) : null;
  throw new CallError(`${path}: ${message}`, status, retryAfter, status === 400 ? issuesOf(shape, message) : []);
}
