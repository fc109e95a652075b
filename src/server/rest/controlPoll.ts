/**
 * Long-poll over the control stream: a client without a WebSocket (the Python client, on
 * the standard library) asks for the requests after the last one it saw and the answer
 * waits until there is one or the wait is over. Pending ones are answered at once.
 */
import type { ControlCommand } from '../../shared/schemas/control';
import type { Services } from '../services';

export async function waitForControls(
  services: Services,
  experimentId: string,
  afterId: number,
  waitMs: number,
): Promise<ControlCommand[]> {
  const pending = await services.controls.pending(experimentId, afterId);
  if (pending.length > 0 || waitMs === 0) return pending;
  const signal = AbortSignal.timeout(waitMs);
  for await (const { command } of services.controls.stream(experimentId, String(afterId), signal)) {
    // The first new one ends the wait; any that came with it are read at once.
    const rest = await services.controls.pending(experimentId, command.id);
    return [command, ...rest];
  }
  return [];
}
