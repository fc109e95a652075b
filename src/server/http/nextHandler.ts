/** The Next.js app router pages, served by our own HTTP server. */
import type http from 'node:http';
import next from 'next';

export interface NextHandlers {
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
  close: () => Promise<void>;
}

export async function createNextHandlers(opts: {
  dev: boolean;
  dir: string;
  hostname: string;
  port: number;
}): Promise<NextHandlers> {
  const app = next({ dev: opts.dev, dir: opts.dir, hostname: opts.hostname, port: opts.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  return {
    handle: (req, res) => handle(req, res),
    close: () => app.close(),
  };
}
