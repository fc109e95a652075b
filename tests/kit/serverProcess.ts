/**
 * The real server as a child process (`node --import tsx server.ts`, API only), so a test
 * can kill it with SIGKILL, as a crash or an OOM killer would, and start it again on the
 * same port and database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { stopChild, type Exit } from './processes';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  url: string;
  port: number;
  /** The running child's pid (to read its memory from /proc, or signal it). */
  readonly pid: number | undefined;
  /** Everything the server wrote to stderr (its log) since the last start. */
  readonly output: string;
  /** Starts the server (again); resolves once it listens. */
  start(): Promise<void>;
  /** SIGKILL: no graceful close, open requests are cut. */
  kill(): Promise<void>;
  /** SIGTERM, as a service manager stops it; resolves with how it exited. */
  stop(): Promise<Exit>;
}

export interface ServerProcessOptions {
  /** Node flags before the script (e.g. --expose-gc). */
  nodeArgs?: string[];
  /** Extra environment; a variable set to undefined is removed. */
  env?: Record<string, string | undefined>;
}

/** `databaseUrl` null: the server starts its own embedded PostgreSQL (set DATA_DIR in env). */
export function serverProcess(databaseUrl: string | null, port: number, options: ServerProcessOptions = {}): ServerProcess {
  let child: ChildProcess | null = null;
  let output = '';

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DATABASE_URL: databaseUrl ?? undefined,
        PORT: String(port),
        HOST: '127.0.0.1',
        NODE_ENV: 'test',
        WEB: 'off',
        LOG_LEVEL: 'info',
        ...options.env,
      };
      for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
      const c = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'server.ts'], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child = c;
      output = '';
      c.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('listening on')) resolve();
      });
      c.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`)));
    });

  const kill = async () => {
    const c = child;
    child = null;
    if (c) await stopChild(c, 'SIGKILL');
  };

  const stop = async (): Promise<Exit> => {
    const c = child;
    child = null;
    return c ? stopChild(c) : { code: null, signal: null };
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get pid() {
      return child?.pid;
    },
    get output() {
      return output;
    },
    start,
    kill,
    stop,
  };
}
