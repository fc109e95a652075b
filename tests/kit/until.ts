/**
 * Polling, for state that announces nothing (a table, another process, a port): the one loop
 * that tests, benchmarks and the browser tests' stack share.
 */

/**
 * Resolves once `check` holds, checking every few ms; fails after `timeoutMs` naming `what`
 * and, when given, the state `detail` describes.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
  detail?: () => unknown,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${detail ? `; ${JSON.stringify(detail())}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Retries `check` until it stops throwing and returns what it returned; on timeout, throws its last error. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  let last: { error: unknown } | undefined;
  let result: T | undefined;
  const passes = async () => {
    try {
      result = await check();
      return true;
    } catch (error) {
      last = { error };
      return false;
    }
  };
  try {
    await until(passes, 'a check to pass', timeoutMs, undefined, 25);
  } catch (timeout) {
    throw last ? last.error : timeout;
  }
  return result as T;
}
