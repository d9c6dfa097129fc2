// A small, fast, pure Server-Sent Events decoder (https://html.spec.whatwg.org/multipage/server-sent-events.html),
// lenient where real servers are sloppy. Bytes in, `(data, event)` callbacks out.
//
// - Line ends: CRLF, CR and LF, also when a CRLF pair is split across two network chunks.
// - `data:` with or without the space after the colon; several `data:` lines join with "\n".
// - Comment lines (`: ping`, `: OPENROUTER PROCESSING`) are skipped (or reported to `onComment`).
// - UTF-8 is decoded once per network chunk by a streaming decoder, so a character split across chunks
//   comes out whole; lines are found with indexOf, never byte by byte.
// - A line or an event larger than the limit (default 8 MB) throws `SseLimitError` instead of growing without
//   bound; the caller ends the stream with a clear error.
// - At the end of the input a last event without its blank line is still delivered (many servers omit it).
import { StringDecoder } from 'node:string_decoder';

export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;

export interface SseDecoderOptions {
  /** Longest line accepted, in characters (never more than its bytes). Default 8 MB. */
  maxLineBytes?: number;
  /** Largest event (all its data lines) accepted. Default: same as maxLineBytes. */
  maxEventBytes?: number;
  /** Called with the text after ':' of each comment line (keep-alives). */
  onComment?: (text: string) => void;
}

export type SseEventHandler = (data: string, event: string) => void;

export class SseLimitError extends Error {
  constructor(readonly what: 'line' | 'event', readonly limit: number) {
    super(`The server sent ${what === 'line' ? 'a line' : 'an event'} longer than ${formatBytes(limit)}; reading stopped to protect memory.`);
    this.name = 'SseLimitError';
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
const D = 100;

export class SseDecoder {
  private readonly utf8 = new StringDecoder('utf8');
  private readonly maxLine: number;
  private readonly maxEvent: number;
  private readonly onComment?: (text: string) => void;
  /** Text of a line not yet terminated. */
  private pending = '';
  /** The previous text ended with CR: a LF at the start of the next one belongs to it. */
  private skipLF = false;
  private data = '';
  private hasData = false;
  private eventType = '';
  private started = false;
  /** The last `id:` field seen (per the spec). */
  lastEventId = '';

  constructor(private readonly onEvent: SseEventHandler, opts: SseDecoderOptions = {}) {
    this.maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.maxEvent = opts.maxEventBytes ?? this.maxLine;
    this.onComment = opts.onComment;
  }

  /** Feeds raw bytes as they came off the network. */
  push(bytes: Uint8Array): void {
    const text = this.utf8.write(bytes as Buffer);
    if (text.length > 0) this.feed(text);
  }

  /** Feeds already-decoded text. */
  feed(text: string): void {
    const n = text.length;
    let start = 0;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) start = 1; // byte order mark
    }
    if (this.skipLF) {
      this.skipLF = false;
      if (text.charCodeAt(start) === LF) start++;
    }
    let lf = -2;
    let cr = -2;
    while (start < n) {
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr === -1) {
        if (lf === -1) break;
        end = lf;
        next = lf + 1;
      } else if (lf !== -1 && lf < cr) {
        end = lf;
        next = lf + 1;
      } else {
        end = cr;
        if (cr + 1 < n) next = text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
        else { next = n; this.skipLF = true; }
      }
      if (this.pending.length === 0) {
        if (end - start > this.maxLine) throw new SseLimitError('line', this.maxLine);
        this.line(text.slice(start, end));
      } else {
        if (this.pending.length + (end - start) > this.maxLine) throw new SseLimitError('line', this.maxLine);
        const line = this.pending + text.slice(start, end);
        this.pending = '';
        this.line(line);
      }
      start = next;
    }
    if (start < n) {
      if (this.pending.length + (n - start) > this.maxLine) {
        this.pending = '';
        throw new SseLimitError('line', this.maxLine);
      }
      this.pending = this.pending.length === 0 ? text.slice(start) : this.pending + text.slice(start);
    }
  }

  /** End of input: the last unterminated line and event are delivered. */
  end(): void {
    const tail = this.utf8.end();
    if (tail.length > 0) this.feed(tail);
    if (this.pending.length > 0) {
      const line = this.pending;
      this.pending = '';
      this.line(line);
    }
    this.dispatch();
  }

  private line(line: string): void {
    const len = line.length;
    if (len === 0) { this.dispatch(); return; }
    const c0 = line.charCodeAt(0);
    if (c0 === D && len >= 5 && line.charCodeAt(4) === COLON && line.startsWith('data')) {
      this.appendData(line.charCodeAt(5) === SPACE ? line.slice(6) : line.slice(5));
      return;
    }
    if (c0 === COLON) {
      if (this.onComment) this.onComment(line.charCodeAt(1) === SPACE ? line.slice(2) : line.slice(1));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.charCodeAt(colon + 1) === SPACE ? line.slice(colon + 2) : line.slice(colon + 1);
    switch (field) {
      case 'data': this.appendData(value); break;
      case 'event': this.eventType = value; break;
      case 'id': if (value.indexOf('\0') < 0) this.lastEventId = value; break;
      default: break; // `retry` and unknown fields are ignored
    }
  }

  private appendData(value: string): void {
    if (!this.hasData) {
      this.data = value;
      this.hasData = true;
    } else {
      if (this.data.length + value.length + 1 > this.maxEvent) {
        this.data = '';
        this.hasData = false;
        throw new SseLimitError('event', this.maxEvent);
      }
      this.data += '\n' + value;
    }
  }

  private dispatch(): void {
    if (this.hasData) {
      const data = this.data;
      const type = this.eventType || 'message';
      this.data = '';
      this.hasData = false;
      this.eventType = '';
      this.onEvent(data, type);
    } else {
      this.eventType = '';
    }
  }
}
