// The built-in text search used when ripgrep is absent: walks the folder (same .gitignore / exclude / deny
// rules), reads one file at a time (bounded memory, files above the size cap skipped, binary files skipped)
// and reports match and context lines in ripgrep's shape. Pure Node.
import { promises as fsp } from 'node:fs';
import { looksBinary } from './caps';
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
  maxFileBytes: number;
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

/** Match and context lines of one file's text. */
export function scanText(rel: string, text: string, re: RegExp, contextLines: number): RgLine[] {
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const out: RgLine[] = [];
  let lastEmitted = -1;
  let afterUntil = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    re.lastIndex = 0;
    if (re.test(l)) {
      for (let j = Math.max(lastEmitted + 1, i - contextLines); j < i; j++) out.push({ kind: 'context', path: rel, line: j + 1, text: strip(lines[j]) });
      out.push({ kind: 'match', path: rel, line: i + 1, text: l });
      lastEmitted = i;
      afterUntil = i + contextLines;
    } else if (i <= afterUntil) {
      out.push({ kind: 'context', path: rel, line: i + 1, text: l });
      lastEmitted = i;
    }
  }
  return out;
}

function strip(l: string): string {
  return l.endsWith('\r') ? l.slice(0, -1) : l;
}

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
    if (!buf || buf.length === 0 || looksBinary(buf)) return [];
    const text = buf.toString('utf8');
    // One pass over the whole text first ("m" so ^ and $ still work per line); most files stop here.
    quick.lastIndex = 0;
    if (!quick.test(text)) return [];
    return scanText(rel, text, re, opts.contextLines);
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
  for await (const e of walk(root, { exclude: opts.exclude, deny: opts.deny, signal: opts.signal, gitignore: opts.gitignore })) {
    if (!e.dirent.isFile()) continue;
    if (opts.include && !opts.include(e.rel)) continue;
    batch.push({ abs: e.abs, rel: e.rel });
    if (batch.length >= PARALLEL_READS && !(await flush())) return;
  }
  if (batch.length) await flush();
}
