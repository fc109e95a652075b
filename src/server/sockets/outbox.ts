/**
 * What one plain socket is waiting to be sent. A publisher only appends to the queue: the
 * frames are whole wire frames shared by every socket (./frames.ts), so that is a push, not
 * a copy or an encoding. The queue goes to the socket as one chunk at the end of the event
 * loop's turn, or as soon as a chunk's worth has gathered, so a burst costs each socket a
 * few writes instead of one system call per frame. A client with more than `limitBytes`
 * that the socket could not hand to the kernel has stopped reading: it is cut off.
 */
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

/** Gathered frames go out as soon as they reach this size. */
const CHUNK_BYTES = 64 * 1024;

export interface Outbox {
  /** Queues a whole wire frame (see frames.ts). */
  send(frame: Buffer): void;
}

/**
 * `socket` is the connection the WebSocket was upgraded from; frames are written to it
 * directly, between whole frames of ws's own (pings, close), so the stream stays valid.
 */
export function createOutbox(
  ws: WebSocket,
  socket: Duplex,
  limitBytes: number,
  onCutOff: (waitingBytes: number) => void,
): Outbox {
  let queued: Buffer[] = [];
  let queuedBytes = 0;
  let scheduled = false;
  let cut = false;

  function flush(): void {
    scheduled = false;
    if (cut || queued.length === 0) return;
    if (ws.readyState !== WebSocket.OPEN) {
      queued = [];
      queuedBytes = 0;
      return;
    }
    const chunk = queued.length === 1 ? queued[0]! : Buffer.concat(queued, queuedBytes);
    queued = [];
    queuedBytes = 0;
    socket.write(chunk);
    if (ws.bufferedAmount > limitBytes) {
      cut = true;
      onCutOff(ws.bufferedAmount);
      ws.terminate();
    }
  }

  return {
    send(frame) {
      if (cut) return;
      queued.push(frame);
      queuedBytes += frame.length;
      if (queuedBytes >= CHUNK_BYTES) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
  };
}
