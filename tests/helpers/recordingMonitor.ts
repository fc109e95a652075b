/** An SDK monitor for tests: it keeps the errors it reports instead of printing them, and leaves the process's exit alone. */
import { createMonitor, type MonitorError, type MonitorOptions } from '../../src/sdk';

export function recordingMonitor(options: Partial<MonitorOptions> & { url: string }) {
  const errors: MonitorError[] = [];
  const monitor = createMonitor({ handleProcessExit: false, onError: (e) => errors.push(e), ...options });
  return { monitor, errors };
}
