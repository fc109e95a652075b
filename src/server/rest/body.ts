/**
 * Reads a JSON request body (`Content-Type: application/json` only) within a size limit. A declared length over the limit is
 * refused before a byte is read; an undeclared (chunked) one is counted as it streams and
 * refused the moment it passes the limit, so no oversized body is ever held in memory.
 */
import type http from 'node:http';
import { HttpError } from './envelope';
import { parseLenientJson } from '../wire/lenientJson';

// The connection is closed after a 413: the rest of the body is not worth reading.
const tooLarge = (limit: number) =>
  new HttpError(413, `Request body too large (limit ${limit} bytes)`, {}, { connection: 'close' });

/** `application/json`, with or without parameters (`; charset=utf-8`), as curl and Python `requests` send it. */
const isJson = (contentType: string | undefined) => contentType?.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';

export async function readJsonBody(req: http.IncomingMessage, limit: number): Promise<unknown> {
  // Anything else is what a page of another site can send without asking first (a "simple" request).
  if (!isJson(req.headers['content-type'])) {
    throw new HttpError(415, 'Content-Type must be application/json', {}, { accept: 'application/json' });
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);

  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        // Discard whatever still arrives rather than buffer it.
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve());
    req.once('error', reject);
  });

  const text = Buffer.concat(chunks).toString('utf8');
  // No body at all is a missing field (422 from the schema), as the older API answered.
  if (text.trim() === '') return undefined;
  try {
    return parseLenientJson(text);
  } catch (error) {
    throw new HttpError(400, `Malformed JSON: ${(error as Error).message}`);
  }
}
