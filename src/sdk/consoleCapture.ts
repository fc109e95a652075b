/**
 * Console capture: every line written to stdout or stderr is also handed to the runs that
 * asked for it, while still being printed. Progress bars redraw one line with carriage
 * returns many times a second; only the final state of each line is kept.
 */

export type CapturedStream = 'stdout' | 'stderr';
type LineListener = (stream: CapturedStream, line: string) => void;
type Write = typeof process.stdout.write;

/** The writes as they were before capture, for the SDK's own messages. */
export const rawWrite = {
  stdout: process.stdout.write.bind(process.stdout) as Write,
  stderr: process.stderr.write.bind(process.stderr) as Write,
};

/** The text of a line as it ends up on a terminal: what follows the last carriage return that has any. */
export function finalState(line: string): string {
  const parts = line.split('\r');
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i]!.trim() !== '') return parts[i]!;
  return '';
}

/** Splits a stream into lines, collapsing carriage-return redraws as they arrive. */
export class LineSplitter {
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  feed(text: string): void {
    let buffer = this.partial + text;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = finalState(buffer.slice(0, nl));
      if (line.trim() !== '') this.onLine(line);
      buffer = buffer.slice(nl + 1);
    }
    // Keep only the latest redraw (and whether a newer one has begun), so a bar that never
    // ends its line does not grow the buffer.
    if (buffer.includes('\r')) {
      const last = buffer.slice(buffer.lastIndexOf('\r') + 1);
      buffer = last.trim() !== '' ? last : `${finalState(buffer)}\r`;
    }
    this.partial = buffer;
  }

  /** Emits a line left without its newline. */
  end(): void {
    const line = finalState(this.partial);
    this.partial = '';
    if (line.trim() !== '') this.onLine(line);
  }
}

const listeners = new Set<LineListener>();
const splitters = {
  stdout: new LineSplitter((line) => listeners.forEach((l) => l('stdout', line))),
  stderr: new LineSplitter((line) => listeners.forEach((l) => l('stderr', line))),
};
let installed = false;

function patch(stream: CapturedStream): void {
  const target = process[stream];
  const original = rawWrite[stream];
  target.write = function (this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
    try {
      const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8';
      splitters[stream].feed(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(encoding));
    } catch {
      // Capture must never break printing.
    }
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  } as Write;
}

/** Starts handing lines to `listener`; the returned function stops it. */
export function captureConsole(listener: LineListener): () => void {
  listeners.add(listener);
  if (!installed) {
    installed = true;
    patch('stdout');
    patch('stderr');
  }
  return () => {
    splitters.stdout.end();
    splitters.stderr.end();
    listeners.delete(listener);
    if (listeners.size === 0 && installed) {
      installed = false;
      process.stdout.write = rawWrite.stdout;
      process.stderr.write = rawWrite.stderr;
    }
  };
}
