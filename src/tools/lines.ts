// Reads a text file line by line with bounded memory: each line is kept only up to the per-line cap
// (its full length is still counted), so a 1 GB single-line file cannot exhaust memory. Pure Node.
import { createReadStream, promises as fsp } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { CAPS, looksBinary } from './caps';

export interface LineVisitor {
  /** Called for each line (1-based number, text already capped). Return false to stop reading. */
  (lineNo: number, text: string): boolean | void;
}

/** Reads the first bytes of a file and tells whether it looks binary. */
export async function sniffBinary(file: string): Promise<boolean> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(CAPS.binarySniffBytes);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return looksBinary(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/**
 * Streams `file` as UTF-8 lines ("\n" or "\r\n"); returns the number of lines visited and whether the end
 * of the file was reached. A final line without a newline counts; an empty file has 0 lines.
 */
export async function forEachLine(
  file: string,
  visit: LineVisitor,
  opts: {
    maxLineChars?: number;
    signal?: AbortSignal;
    /** false: cut long lines without the "[line cut …]" note. */ marker?: boolean;
  } = {},
): Promise<{ lines: number; complete: boolean }> {
  const keep = opts.maxLineChars ?? CAPS.maxLineChars;
  const decoder = new StringDecoder('utf8');
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  let cur = '';
  let curLen = 0;
  let lineNo = 0;
  let stopped = false;
  let lastChar = '';
  const finish = (): boolean => {
    let len = curLen;
    let text = cur;
    if (lastChar === '\r') {
      len--;
      if (text.length > len) text = text.slice(0, len);
    }
    lineNo++;
    const shown =
      len <= keep
        ? text
        : opts.marker === false
          ? text.slice(0, keep)
          : `${text.slice(0, keep)} … [line cut: ${len - keep} more characters]`;
    cur = '';
    curLen = 0;
    lastChar = '';
    return visit(lineNo, shown) !== false;
  };
  const add = (piece: string) => {
    if (!piece) return;
    curLen += piece.length;
    lastChar = piece[piece.length - 1];
    if (cur.length <= keep) cur += piece.slice(0, keep + 1 - cur.length);
  };
  try {
    for await (const chunk of stream) {
      if (opts.signal?.aborted) {
        stopped = true;
        break;
      }
      const s = decoder.write(chunk as Buffer);
      let start = 0;
      for (;;) {
        const nl = s.indexOf('\n', start);
        if (nl < 0) {
          add(s.slice(start));
          break;
        }
        add(s.slice(start, nl));
        start = nl + 1;
        if (!finish()) {
          stopped = true;
          break;
        }
      }
      if (stopped) break;
    }
    if (!stopped) {
      const rest = decoder.end();
      if (rest) add(rest);
      if (cur.length > 0 || curLen > 0) finish();
    }
  } finally {
    stream.destroy();
  }
  return { lines: lineNo, complete: !stopped };
}
