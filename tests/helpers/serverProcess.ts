/**
 * The real server as a child process (`node --import tsx server.ts`, API only), so a test
 * can kill it with SIGKILL, as a crash or an OOM killer would, and start it again on the
 * same port and database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  /** Starts the server (again); resolves once it listens. */
  start(): Promise<void>;
  /** SIGKILL: no graceful close, open requests are cut. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export function serverProcess(databaseUrl: string, port: number): ServerProcess {
  let child: ChildProcess | null = null;
  const exited = (c: ChildProcess) =>
    new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const c = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          PORT: String(port),
          HOST: '127.0.0.1',
          NODE_ENV: 'test',
          WEB: 'off',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child = c;
      let output = '';
      c.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('listening on')) resolve();
      });
      c.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`)));
    });

  const kill = async () => {
    const c = child;
    child = null;
    if (!c) return;
    c.kill('SIGKILL');
    await exited(c);
  };

  const stop = async () => {
    const c = child;
    child = null;
    if (!c) return;
    c.kill('SIGTERM');
    await exited(c);
  };

  return { url: `http://127.0.0.1:${port}`, port, start, kill, stop };
}
