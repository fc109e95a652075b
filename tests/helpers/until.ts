/**
 * Resolves once `check` holds, checking every few ms; fails after `timeoutMs` naming `what`
 * and, when given, the state `detail` describes.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
  detail?: () => unknown,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${detail ? `; ${JSON.stringify(detail())}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
