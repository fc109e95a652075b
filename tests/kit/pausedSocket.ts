/** A slow consumer: a WebSocket that reads its first frame, then stops reading, so its TCP window fills. */
import WebSocket from 'ws';

export function pausedSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('message', () => {
      ws.pause();
      resolve(ws);
    });
    ws.once('error', reject);
  });
}
