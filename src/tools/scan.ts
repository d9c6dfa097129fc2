// The built-in text search used when ripgrep is absent: walks the folder (same .gitignore / exclude / deny
// rules), reads files a few at a time (whole when small, streamed line by line when big; binary files skipped)
// and reports match and context lines in ripgrep's shape. Pure Node.
import { promises as fsp } from 'node:fs';
import { looksBinary } from './caps';
import { forEachLine, sniffBinary } from './lines';
import type { DenyChecker } from './deny';
import type { RgLine } from './ripgrep';
import { walk } from './walk';

export interface ScanOptions {
  query: string;
  isRegex: boolean;
  /** Relative-path filter (the include glob), or undefined for all files. */
  include?: (rel: string) => boolean;
  exclude: readonly string[];
  deny: DenyChecker;
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  contextLines: number;
  /** Files bigger than this are streamed line by line instead of read whole. */
  maxFileBytes: number;
  /** Stop collecting in one file after this many matches (the caller's max_results). */
  maxMatches?: number;
  signal?: AbortSignal;
  /** Receives one file's lines at a time, in line order; return false to stop scanning. */
  onFile: (lines: RgLine[]) => boolean | void;
}

/** ripgrep's --smart-case: case-insensitive unless the pattern has an upper-case letter (escapes ignored). */
export function isSmartCaseInsensitive(query: string, isRegex: boolean): boolean {
  const literal = isRegex ? query.replace(/\\./g, '') : query;
  return literal === literal.toLowerCase();
}

export function buildRegExp(query: string, isRegex: boolean): RegExp {
  const source = isRegex ? query : query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(source, isSmartCaseInsensitive(query, isRegex) ? 'iu' : 'u');
}

/** Collects match lines and their context, fed one line at a time (whole texts and streamed big files alike). */
export class MatchCollector {
  readonly lines: RgLine[] = [];
  matches = 0;
  private before: { line: number; text: string }[] = [];
  private afterUntil = -1;

  constructor(
    private readonly rel: string,
    private readonly re: RegExp,
    private readonly context: number,
    private readonly maxMatches = Infinity,
  ) {}

  /** Feeds line `n` (1-based, without its line break); false once maxMatches is reached. */
  feed(n: number, text: string): boolean {
    this.re.lastIndex = 0;
    if (this.re.test(text)) {
      for (const b of this.before) this.lines.push({ kind: 'context', path: this.rel, line: b.line, text: b.text });
      this.before = [];
      this.lines.push({ kind: 'match', path: this.rel, line: n, text });
      this.afterUntil = n + this.context;
      return ++this.matches < this.maxMatches;
    }
    if (n <= this.afterUntil) this.lines.push({ kind: 'context', path: this.rel, line: n, text });
    else if (this.context > 0) {
      this.before.push({ line: n, text });
      if (this.before.length > this.context) this.before.shift();
    }
    return true;
  }
}

/** Match and context lines of one file's text. */
export function scanText(rel: string, text: string, re: RegExp, contextLines: number, maxMatches = Infinity): RgLine[] {
  const c = new MatchCollector(rel, re, contextLines, maxMatches);
  let start = 0;
  let n = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 && end > start ? text.slice(start, end - 1) : text.slice(start, end);
    if (!c.feed(++n, line)) break;
    start = end + 1;
  }
  return c.lines;
}

/** Lines longer than this are matched only on their first part when a big file is streamed. */
const STREAM_LINE_CHARS = 64 * 1024;

/** Files read at once: enough to hide file-system latency, few enough to keep memory small. */
const PARALLEL_READS = 16;

const FIRST_READ = 64 * 1024;

/** Reads a file with as few system calls as possible (open, read, close for files under 64 KB). */
async function readSmallFile(abs: string, maxBytes: number): Promise<Buffer | undefined> {
  const fh = await fsp.open(abs, 'r');
  try {
    const first = Buffer.allocUnsafe(FIRST_READ);
    const { bytesRead } = await fh.read(first, 0, FIRST_READ, 0);
    if (bytesRead < FIRST_READ) return first.subarray(0, bytesRead);
    const { size } = await fh.stat();
    if (size > maxBytes) return undefined;
    const all = Buffer.allocUnsafe(size);
    first.copy(all, 0, 0, bytesRead);
    let off = bytesRead;
    while (off < size) {
      const r = await fh.read(all, off, size - off, off);
      if (r.bytesRead === 0) break;
      off += r.bytesRead;
    }
    return all.subarray(0, off);
  } finally {
    await fh.close();
  }
}

async function scanFile(abs: string, rel: string, re: RegExp, quick: RegExp, opts: ScanOptions): Promise<RgLine[]> {
  try {
    const buf = await readSmallFile(abs, opts.maxFileBytes);
    if (buf === undefined) {
      // Bigger than the in-memory cap: stream it line by line (bounded memory).
      if (await sniffBinary(abs)) return [];
      const c = new MatchCollector(rel, re, opts.contextLines, opts.maxMatches);
      await forEachLine(abs, (n, text) => c.feed(n, text), {
        maxLineChars: STREAM_LINE_CHARS,
        marker: false,
        signal: opts.signal,
      });
      return c.lines;
    }
    if (buf.length === 0 || looksBinary(buf)) return [];
    const text = buf.toString('utf8');
    // One pass over the whole text first ("m" so ^ and $ still work per line); most files stop here.
    quick.lastIndex = 0;
    if (!quick.test(text)) return [];
    return scanText(rel, text, re, opts.contextLines, opts.maxMatches);
  } catch {
    return [];
  }
}

export async function scanFolder(root: string, opts: ScanOptions): Promise<void> {
  const re = buildRegExp(opts.query, opts.isRegex);
  const quick = new RegExp(re.source, `${re.flags}m`);
  let batch: { abs: string; rel: string }[] = [];
  // Files are read PARALLEL_READS at a time and reported in walk order, so results do not depend on timing.
  const flush = async (): Promise<boolean> => {
    const results = await Promise.all(batch.map((f) => scanFile(f.abs, f.rel, re, quick, opts)));
    batch = [];
    for (const lines of results) if (lines.length && opts.onFile(lines) === false) return false;
    return !opts.signal?.aborted;
  };
  for await (const e of walk(root, {
    exclude: opts.exclude,
    deny: opts.deny,
    signal: opts.signal,
    gitignore: opts.gitignore,
  })) {
    if (!e.dirent.isFile()) continue;
    if (opts.include && !opts.include(e.rel)) continue;
    batch.push({ abs: e.abs, rel: e.rel });
    if (batch.length >= PARALLEL_READS && !(await flush())) return;
  }
  if (batch.length) await flush();
}
