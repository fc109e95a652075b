/** The frames of the plain WebSocket streams, built from stored events. */
import type { SystemSample } from '../../shared/systemSample';
import type { SessionEvent } from '../../shared/types';
import { stringifyLenientJson } from '../rest/lenientJson';
import { toWireLog, toWireMetrics, toWireStatusChange } from '../rest/mappers';

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

// Every socket on a session receives the same event objects (services/sessionFeed.ts) and
// every system socket the same sample: each frame is written once, not once per socket.
const eventTexts = new WeakMap<SessionEvent, string>();
const sampleTexts = new WeakMap<SystemSample, string>();

export function eventFrameText(event: SessionEvent): string {
  let text = eventTexts.get(event);
  if (text === undefined) eventTexts.set(event, (text = stringifyLenientJson(eventFrame(event))));
  return text;
}

export function systemFrameText(sample: SystemSample): string {
  let text = sampleTexts.get(sample);
  if (text === undefined) sampleTexts.set(sample, (text = stringifyLenientJson({ type: 'system_stats', data: sample })));
  return text;
}
