/**
 * The fleet benchmark's baseline: a bare tRPC WebSocket server whose `system.report`
 * validates with the same schema and answers without storing, announcing or keeping
 * anything. What the protocol (socket, superjson, zod) costs at the least.
 * Prints its port on stdout once listening.
 */
import http from 'node:http';
import { initTRPC } from '@trpc/server';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import superjson from 'superjson';
import { WebSocketServer } from 'ws';
import { systemReportInput } from '../../src/shared/schemas/system';

const t = initTRPC.create({ transformer: superjson });
const router = t.router({
  system: t.router({
    report: t.procedure.input(systemReportInput).mutation(({ input }) => ({ stored: input.samples.length })),
    live: t.procedure.subscription(async function* () {}),
  }),
});

const server = http.createServer((_req, res) => void res.writeHead(404).end());
const wss = new WebSocketServer({ server, path: '/api/trpc-ws' });
applyWSSHandler({ wss, router });
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
