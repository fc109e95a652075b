/**
 * The entry point: `createMonitor({ url })`, then `monitor.startRun(...)`. Also the process
 * hooks that no run should lose events to: a script that ends, Ctrl-C, SIGTERM from a
 * scheduler, and an uncaught exception (which marks the run failed).
 */
import { hostname } from 'node:os';
import { Run, printDiagnostic } from './run.js';
import type { RunSettings } from './runSettings.js';
import { MonitorError, type MonitorOptions, type StartRunOptions } from './types.js';

export class Monitor {
  private readonly settings: RunSettings;
  private readonly startTimeoutMs: number;
  private readonly exitFlushTimeoutMs: number;
  private readonly handleExit: boolean;
  private readonly reported = new Set<string>();

  constructor(options: MonitorOptions) {
    const baseUrl = options.url.replace(/\/+$/, '');
    if (!/^https?:\/\//.test(baseUrl)) throw new TypeError(`url must start with http:// or https://, got ${options.url}`);
    this.startTimeoutMs = options.startTimeoutMs ?? 10_000;
    this.exitFlushTimeoutMs = options.exitFlushTimeoutMs ?? 10_000;
    this.handleExit = options.handleProcessExit ?? true;
    this.settings = {
      call: {
        baseUrl,
        headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
        timeoutMs: options.requestTimeoutMs ?? 30_000,
      },
      apiKey: options.apiKey,
      batchSize: Math.max(1, options.batchSize ?? 1000),
      flushIntervalMs: options.flushIntervalMs ?? 200,
      maxBatchBytes: options.maxBatchBytes ?? 1024 * 1024,
      queueCapacity: Math.max(1, options.queueCapacity ?? 100_000),
      whenFull: options.whenFull ?? 'drop-debug',
      retryInitialMs: options.retry?.initialDelayMs ?? 100,
      retryMaxMs: options.retry?.maxDelayMs ?? 5000,
      heartbeatMs: options.heartbeatMs ?? 5000,
      onError: options.onError ?? ((error) => this.printOnce(error)),
    };
  }

  /**
   * Creates the run on the server (or reattaches to an existing experiment id) and returns
   * it. An unreachable server is retried in the background after startTimeoutMs; a refused
   * run (a bad experiment id) throws.
   */
  async startRun(options: StartRunOptions): Promise<Run> {
    const run = new Run(this.settings, { ...options, host: options.host ?? hostname() }, (r) => exitHooks.remove(r));
    if (this.handleExit) exitHooks.add(run, this.exitFlushTimeoutMs);
    const started = run.start();
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      started.then(() => 'started' as const),
      new Promise<'waiting'>((resolve) => (timer = setTimeout(() => resolve('waiting'), this.startTimeoutMs))),
    ]).catch(async (error: unknown) => {
      await run.finish('failed').catch(() => {});
      throw error;
    });
    clearTimeout(timer);
    if (waited === 'waiting') started.catch(() => {}); // reported through onError
    return run;
  }

  /** The default error handler: each kind of problem once per process, on stderr. */
  private printOnce(error: MonitorError): void {
    const key = error.kind === 'rejected' ? error.message : error.kind;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    printDiagnostic(error.message);
  }
}

export function createMonitor(options: MonitorOptions): Monitor {
  return new Monitor(options);
}

/**
 * One set of process listeners for every open run, installed while any run is open. Node's
 * default for a signal or an uncaught exception is to exit; a listener replaces that, so
 * after flushing the hooks do what Node would have done, unless the program has listeners
 * of its own that decide.
 */
const exitHooks = (() => {
  const runs = new Map<Run, number>();
  let exiting = false;

  const flushAll = (status?: 'failed' | 'stopped', message?: string, error?: unknown) =>
    Promise.all(
      [...runs].map(([run, ms]) => (status === 'failed' ? run.failWithin(error, ms) : run.flushWithin(ms, status, message))),
    );

  const onBeforeExit = () => {
    // The script has nothing left to do; what is still queued keeps it alive until sent.
    for (const [run, ms] of runs) if (run.stats().queued > 0) void run.flushWithin(ms);
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (exiting) return process.exit(130);
    exiting = true;
    const ours = process.listenerCount(signal) === 1;
    void flushAll('stopped', `interrupted by ${signal}`).finally(() => {
      if (!ours) return;
      uninstall();
      process.kill(process.pid, signal);
    });
  };

  const onUncaught = (error: unknown, origin: string) => {
    const ours = process.listenerCount('uncaughtException') === 1;
    exiting = true;
    void flushAll('failed', undefined, error).finally(() => {
      if (!ours) return;
      uninstall();
      // As Node prints it, then its exit code for an uncaught exception.
      const label = origin === 'unhandledRejection' ? 'Unhandled rejection' : 'Uncaught exception';
      printDiagnostic(`${label}; run(s) marked failed`);
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? String(error)) : String(error)}\n\nNode.js ${process.version}\n`,
      );
      process.exit(1);
    });
  };

  const install = () => {
    process.on('beforeExit', onBeforeExit);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('uncaughtException', onUncaught);
  };
  const uninstall = () => {
    process.off('beforeExit', onBeforeExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('uncaughtException', onUncaught);
  };

  return {
    add(run: Run, flushTimeoutMs: number) {
      if (runs.size === 0) install();
      runs.set(run, flushTimeoutMs);
    },
    remove(run: Run) {
      if (!runs.delete(run)) return;
      if (runs.size === 0 && !exiting) uninstall();
    },
  };
})();

export { MonitorError };
