/** The frames of the plain WebSocket streams, built from stored events. */
import { knownPlainJson, plainJsonText } from '../../shared/plainJson';
import type { SystemSample } from '../../shared/systemSample';
import type { SessionEvent } from '../../shared/types';
import { stringifyLenientJson } from '../wire/lenientJson';
import { toWireLog, toWireMetrics, toWireStatusChange } from '../wire/mappers';

export type Frame =
  | { type: 'connection_established'; data: Record<string, string> }
  | { type: 'log'; data: ReturnType<typeof toWireLog> }
  | { type: 'metrics_update'; data: Record<string, unknown> }
  | { type: 'status_change'; data: ReturnType<typeof toWireStatusChange> }
  | { type: 'system_stats'; data: SystemSample }
  | { type: 'pong' };

export function eventFrame(event: SessionEvent): Frame {
  switch (event.type) {
    case 'log':
      return { type: 'log', data: toWireLog(event.data) };
    case 'metrics':
      return { type: 'metrics_update', data: toWireMetrics(event.data) };
    case 'status':
      return { type: 'status_change', data: toWireStatusChange(event.data) };
  }
}

/**
 * A frame as it goes on the wire: one WebSocket text frame (RFC 6455, section 5.2), FIN set,
 * unmasked as every server frame is, uncompressed as this server sends all. The same bytes
 * are right for every socket, so they are built once.
 */
export function frameBytes(frame: Frame): Buffer {
  return textFrameBytes(stringifyLenientJson(frame));
}

function textFrameBytes(text: string): Buffer {
  const payload = Buffer.from(text);
  const n = payload.length;
  const header = Buffer.alloc(n < 126 ? 2 : n < 65536 ? 4 : 10);
  header[0] = 0x81; // FIN + opcode 1 (text)
  if (n < 126) header[1] = n;
  else if (n < 65536) {
    header[1] = 126;
    header.writeUInt16BE(n, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([header, payload]);
}

// Every socket on a session receives the same event objects (services/sessionFeed.ts) and
// every system socket the same sample: each frame is written and encoded once, not once per
// socket, and the sockets share its bytes.
const eventBytes = new WeakMap<SessionEvent, Buffer>();
const sampleBytes = new WeakMap<SystemSample, Buffer>();

export function eventFrameBytes(event: SessionEvent): Buffer {
  let bytes = eventBytes.get(event);
  if (bytes === undefined) eventBytes.set(event, (bytes = frameBytes(eventFrame(event))));
  return bytes;
}

export function systemFrameBytes(sample: SystemSample): Buffer {
  let bytes = sampleBytes.get(sample);
  if (bytes === undefined) {
    // A published sample is plain JSON (shared/plainJson.ts): its text is made once already,
    // for other instances and the tRPC frames, and is the same as lenient JSON's.
    const frame = knownPlainJson(sample)
      ? textFrameBytes(`{"type":"system_stats","data":${plainJsonText(sample)}}`)
      : frameBytes({ type: 'system_stats', data: sample });
    sampleBytes.set(sample, (bytes = frame));
  }
  return bytes;
}
