/**
 * A TCP proxy that cuts connections at random: each chunk passing either way may end both
 * sides at once, before or after the server has seen a request, so a client meets every
 * kind of failure: refused writes, requests that were stored but never answered, cut
 * responses. While the target is down, connections fail as they would without the proxy.
 */
import net from 'node:net';

export interface FlakyProxy {
  url: string;
  /** Connections cut so far. */
  readonly cuts: number;
  /** Chance that any one chunk cuts its connection, 0 to 1. */
  dropRate: number;
  close(): Promise<void>;
}

export async function startFlakyProxy(targetPort: number, dropRate: number): Promise<FlakyProxy> {
  const sockets = new Set<net.Socket>();
  const state = { cuts: 0, dropRate };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    const relay = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => {
        if (Math.random() < state.dropRate) {
          state.cuts++;
          // Half the time the chunk still gets through: the server acts, the answer is lost.
          if (Math.random() < 0.5) to.write(chunk, cut);
          else cut();
          return;
        }
        to.write(chunk);
      });
    relay(client, upstream);
    relay(upstream, client);
    for (const s of [client, upstream]) {
      s.on('error', cut);
      s.on('close', () => {
        sockets.delete(s);
        cut();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get cuts() {
      return state.cuts;
    },
    get dropRate() {
      return state.dropRate;
    },
    set dropRate(rate: number) {
      state.dropRate = rate;
    },
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
