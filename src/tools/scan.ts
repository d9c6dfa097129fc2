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

export async function scanFolder(root: string, opts: ScanOptions): Promise<void> {
  const re = buildRegExp(opts.query, opts.isRegex);
  for await (const e of walk(root, { exclude: opts.exclude, deny: opts.deny, signal: opts.signal })) {
    if (!e.dirent.isFile()) continue;
    if (opts.include && !opts.include(e.rel)) continue;
    let buf: Buffer;
    try {
      const st = await fsp.stat(e.abs);
      if (st.size > opts.maxFileBytes) continue;
      buf = await fsp.readFile(e.abs);
    } catch {
      continue;
    }
    if (looksBinary(buf)) continue;
    const lines = scanText(e.rel, buf.toString('utf8'), re, opts.contextLines);
    if (lines.length && opts.onFile(lines) === false) return;
    if (opts.signal?.aborted) return;
  }
}
