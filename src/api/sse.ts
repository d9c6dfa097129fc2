// A small, fast, pure Server-Sent Events decoder (https://html.spec.whatwg.org/multipage/server-sent-events.html),
// lenient where real servers are sloppy. Bytes in, `(data, event)` callbacks out.
//
// - Line ends: CRLF, CR and LF, also when a CRLF pair is split across two network chunks.
// - `data:` with or without the space after the colon; several `data:` lines join with "\n".
// - Comment lines (`: ping`, `: OPENROUTER PROCESSING`) are skipped (or reported to `onComment`).
// - Byte-level: line ends are found in the raw bytes with indexOf (memchr); CR and LF bytes never occur
//   inside a multi-byte UTF-8 character, so the bytes after the last line end of a network chunk simply wait
//   for the next chunk and a character split across chunks comes out whole.
// - Decoding: a chunk that is all ASCII (the usual case for English and code) is turned into one string in
//   one call and each payload is a slice of it (no copy). Otherwise each `data:` payload is decoded from
//   UTF-8 on its own, straight from the bytes, so ASCII payloads stay one-byte strings (the kind JSON.parse
//   reads fastest) even when their neighbours hold other scripts or emoji.
// - A line or an event larger than the limit (default 8 MB) throws `SseLimitError` instead of growing without
//   bound; the caller ends the stream with a clear error.
// - At the end of the input a last event without its blank line is still delivered (many servers omit it).
import * as l10n from '@vscode/l10n';
import * as nodeBuffer from 'node:buffer';

export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;

export interface SseDecoderOptions {
  /** Longest line accepted, in bytes. Default 8 MB. */
  maxLineBytes?: number;
  /** Largest event (all its data lines) accepted. Default: same as maxLineBytes. */
  maxEventBytes?: number;
  /** Called with the text after ':' of each comment line (keep-alives). */
  onComment?: (text: string) => void;
}

export type SseEventHandler = (data: string, event: string) => void;

export class SseLimitError extends Error {
  constructor(
    readonly what: 'line' | 'event',
    readonly limit: number,
  ) {
    super(
      what === 'line'
        ? l10n.t('The server sent a line longer than {0}; reading stopped to protect memory.', formatBytes(limit))
        : l10n.t('The server sent an event longer than {0}; reading stopped to protect memory.', formatBytes(limit)),
    );
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
const A = 97;
const T = 116;
const BOM = 0xfeff;

/** `buffer.isAscii` (Node >= 18.15, SIMD); absent on older runtimes, where every chunk takes the UTF-8 path. */
const isAscii: ((b: Uint8Array) => boolean) | undefined = (nodeBuffer as { isAscii?: (b: Uint8Array) => boolean })
  .isAscii;

type Latin1Slicer = Buffer & { latin1Slice?: (start: number, end: number) => string };
const latin1: (buf: Buffer, s: number, e: number) => string =
  typeof (Buffer.prototype as Latin1Slicer).latin1Slice === 'function'
    ? (buf, s, e) => (buf as Latin1Slicer).latin1Slice!(s, e)
    : (buf, s, e) => buf.toString('latin1', s, e);

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

type Utf8Slicer = Buffer & { utf8Slice?: (start: number, end: number) => string };

/** UTF-8 text of buf[s, e). Node's own `utf8Slice` skips `toString`'s argument checks. */
const utf8: (buf: Buffer, s: number, e: number) => string =
  typeof (Buffer.prototype as Utf8Slicer).utf8Slice === 'function'
    ? (buf, s, e) => (buf as Utf8Slicer).utf8Slice!(s, e)
    : (buf, s, e) => buf.toString('utf8', s, e);

export class SseDecoder {
  private readonly maxLine: number;
  private readonly maxEvent: number;
  private readonly onComment?: (text: string) => void;
  /** Bytes of a line not yet terminated (the network pieces, joined once the line is complete). */
  private pending: Buffer[] = [];
  private pendingLen = 0;
  /** The previous bytes ended with CR: a LF at the start of the next ones belongs to it. */
  private skipLF = false;
  private firstLine = true;
  private data = '';
  private hasData = false;
  private eventType = '';
  /** The last `id:` field seen (per the spec). */
  lastEventId = '';

  constructor(
    private readonly onEvent: SseEventHandler,
    opts: SseDecoderOptions = {},
  ) {
    this.maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.maxEvent = opts.maxEventBytes ?? this.maxLine;
    this.onComment = opts.onComment;
  }

  /** Feeds raw bytes as they came off the network. */
  push(bytes: Uint8Array): void {
    const buf = asBuffer(bytes);
    const n = buf.length;
    let start = 0;
    if (this.skipLF) {
      this.skipLF = false;
      if (n > 0 && buf[0] === LF) start = 1;
    }
    if (start >= n) return;
    if (this.pendingLen > 0) {
      // Finish the pending line with the bytes up to the first line end.
      const lf = buf.indexOf(LF, start);
      const cr = buf.indexOf(CR, start);
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (end < 0) {
        this.keep(buf, start, n);
        return;
      }
      const total = this.pendingLen + (end - start);
      if (total > this.maxLine) {
        this.dropPending();
        throw new SseLimitError('line', this.maxLine);
      }
      this.pending.push(buf.subarray(start, end));
      const line = Buffer.concat(this.pending, total);
      this.dropPending();
      this.lineBytes(line, 0, total);
      if (buf[end] === CR) {
        if (end + 1 === n) {
          this.skipLF = true;
          return;
        }
        start = buf[end + 1] === LF ? end + 2 : end + 1;
      } else {
        start = end + 1;
      }
      if (start >= n) return;
    }
    // The complete lines up to the last line end are handled now; the rest waits.
    const lastLF = buf.lastIndexOf(LF);
    const lastCR = buf.lastIndexOf(CR);
    const last = lastLF > lastCR ? lastLF : lastCR;
    if (last < start) {
      this.keep(buf, start, n);
      return;
    }
    if (isAscii !== undefined && last + 1 - start >= 64 && isAscii(buf.subarray(start, last + 1)))
      this.textLines(latin1(buf, start, last + 1));
    else this.lines(buf, start, last + 1);
    if (last + 1 < n) this.keep(buf, last + 1, n);
    else if (buf[last] === CR) this.skipLF = true;
  }

  /** Feeds text (encoded to UTF-8 first). */
  feed(text: string): void {
    this.push(Buffer.from(text, 'utf8'));
  }

  /** End of input: the last unterminated line and event are delivered. */
  end(): void {
    if (this.pendingLen > 0) {
      const len = this.pendingLen;
      const line = Buffer.concat(this.pending, len);
      this.dropPending();
      this.lineBytes(line, 0, len);
    }
    this.dispatch();
  }

  private keep(buf: Buffer, s: number, e: number): void {
    if (this.pendingLen + (e - s) > this.maxLine) {
      this.dropPending();
      throw new SseLimitError('line', this.maxLine);
    }
    this.pending.push(Buffer.from(buf.subarray(s, e))); // a copy: the caller may reuse its buffer
    this.pendingLen += e - s;
  }

  private dropPending(): void {
    this.pending = [];
    this.pendingLen = 0;
  }

  /** The lines of buf[start, n), which ends with a line end. */
  private lines(buf: Buffer, start: number, n: number): void {
    let lf = -2;
    // One search tells whether this region has any CR at all; most streams have none.
    let cr = buf.indexOf(CR, start);
    if (cr >= n) cr = -1;
    while (start < n) {
      if (lf !== -1 && lf < start) {
        lf = buf.indexOf(LF, start);
        if (lf >= n) lf = -1;
      }
      if (cr !== -1 && cr < start) {
        cr = buf.indexOf(CR, start);
        if (cr >= n) cr = -1;
      }
      let end: number;
      let next: number;
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        end = lf;
        next = lf + 1;
      } else {
        end = cr;
        next = cr + 1 < n && buf[cr + 1] === LF ? cr + 2 : cr + 1;
      }
      if (end - start > this.maxLine) throw new SseLimitError('line', this.maxLine);
      this.lineBytes(buf, start, end);
      // The blank line that ends an event ("\n\n", "\r\n\r\n", "\r\r") is taken here, without another search.
      if (next < n) {
        const c = buf[next];
        if (c === LF) {
          this.dispatch();
          next++;
        } else if (c === CR) {
          this.dispatch();
          next = next + 1 < n && buf[next + 1] === LF ? next + 2 : next + 1;
        }
      }
      start = next;
    }
  }

  /** The lines of text (all ASCII), which ends with a line end: the same as `lines`, on a string. */
  private textLines(text: string): void {
    const n = text.length;
    let start = 0;
    let lf = -2;
    let cr = text.indexOf('\r');
    while (start < n) {
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        end = lf;
        next = lf + 1;
      } else {
        end = cr;
        next = text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
      }
      if (end - start > this.maxLine) throw new SseLimitError('line', this.maxLine);
      if (this.firstLine) this.firstLine = false; // an ASCII chunk has no byte order mark
      if (end === start) {
        this.dispatch();
      } else if (
        text.charCodeAt(start) === D &&
        text.charCodeAt(start + 4) === COLON &&
        end - start >= 5 &&
        text.startsWith('data', start)
      ) {
        const v = text.charCodeAt(start + 5) === SPACE && start + 5 < end ? start + 6 : start + 5;
        this.appendData(v < end ? text.slice(v, end) : '');
      } else {
        this.line(text.slice(start, end));
      }
      if (next < n) {
        const c = text.charCodeAt(next);
        if (c === LF) {
          this.dispatch();
          next++;
        } else if (c === CR) {
          this.dispatch();
          next = text.charCodeAt(next + 1) === LF ? next + 2 : next + 1;
        }
      }
      start = next;
    }
  }

  /** One line: buf[s, e), without its line end. */
  private lineBytes(buf: Buffer, s: number, e: number): void {
    if (this.firstLine) {
      this.firstLine = false;
      if (e - s >= 3 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) s += 3;
    }
    if (e === s) {
      this.dispatch();
    } else if (
      buf[s] === D &&
      e - s >= 5 &&
      buf[s + 4] === COLON &&
      buf[s + 1] === A &&
      buf[s + 2] === T &&
      buf[s + 3] === A
    ) {
      // the common case, `data: {…}`: decode just the payload
      const v = buf[s + 5] === SPACE && s + 5 < e ? s + 6 : s + 5;
      this.appendData(v < e ? utf8(buf, v, e) : '');
    } else {
      this.line(utf8(buf, s, e));
    }
  }

  /** One whole line as text (without its line end). */
  private line(text: string): void {
    if (this.firstLine) {
      this.firstLine = false;
      if (text.charCodeAt(0) === BOM) text = text.slice(1);
    }
    const len = text.length;
    if (len === 0) {
      this.dispatch();
      return;
    }
    const c0 = text.charCodeAt(0);
    if (c0 === COLON) {
      if (this.onComment) this.onComment(text.slice(text.charCodeAt(1) === SPACE ? 2 : 1));
      return;
    }
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? '' : text.slice(text.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1);
    switch (field) {
      case 'data':
        this.appendData(value);
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (value.indexOf('\0') < 0) this.lastEventId = value;
        break;
      default:
        break; // `retry` and unknown fields are ignored
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
