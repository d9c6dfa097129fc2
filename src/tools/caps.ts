// Output caps for tool results: what one call may send back to the model. Pure.
// Long lines are cut; a long result keeps its head and its tail with a note in the middle saying how to page on.

export const CAPS = {
  /** Characters kept of one line (the rest is replaced by a marker). */
  maxLineChars: 400,
  /** Characters of one tool result, in total. */
  maxOutputChars: 20_000,
  /** Share of `maxOutputChars` given to the head when a result is cut (the rest goes to the tail). */
  headShare: 0.7,
  /** read_file: lines returned when no end_line is given. */
  readPageLines: 300,
  /** read_file: most lines one call may ask for. */
  readMaxLines: 1000,
  /** read_file: files bigger than this are read only up to the requested page (line count unknown). */
  readFullCountBytes: 8 * 1024 * 1024,
  /** list_directory: entries shown, default and most depth. */
  listMaxEntries: 400,
  listDefaultDepth: 1,
  listMaxDepth: 5,
  /** find_files: results, default and most. */
  findDefaultResults: 200,
  findMaxResults: 1000,
  /** search_text: matches, default and most; context lines each side; the fallback scanner streams files bigger than this. */
  searchDefaultResults: 100,
  searchMaxResults: 500,
  searchContextLines: 1,
  searchMaxFileBytes: 4 * 1024 * 1024,
  /** Bytes sniffed to decide a file is binary. */
  binarySniffBytes: 8192,
  /** get_diagnostics: problems listed. */
  diagnosticsMax: 200,
  /** get_document_symbols: symbols listed. */
  symbolsMax: 400,
} as const;

/** Cuts one line to `max` characters, saying how many were dropped. */
export function capLine(line: string, max: number = CAPS.maxLineChars): string {
  if (line.length <= max) return line;
  return `${line.slice(0, max)} … [line cut: ${line.length - max} more characters]`;
}

export interface CapResult {
  text: string;
  /** Number of lines left out (0 when nothing was cut). */
  omitted: number;
  /** Index range (0-based, inclusive) of the lines left out, when any. */
  omittedFrom?: number;
  omittedTo?: number;
}

/**
 * Joins `lines` with '\n', keeping the head and the tail when the result is longer than `maxChars`.
 * `hint(from, to)` gets the 0-based indices of the first and last line left out and returns how to see them
 * (e.g. "Call read_file with start_line=301 end_line=640 to see them.").
 */
export function capOutput(
  lines: readonly string[],
  opts: { maxChars?: number; hint?: (from: number, to: number) => string } = {},
): CapResult {
  const maxChars = opts.maxChars ?? CAPS.maxOutputChars;
  let total = 0;
  for (const l of lines) total += l.length + 1;
  if (total - 1 <= maxChars) return { text: lines.join('\n'), omitted: 0 };

  const headBudget = Math.floor(maxChars * CAPS.headShare);
  const tailBudget = maxChars - headBudget;
  let head = 0;
  let used = 0;
  while (head < lines.length && used + lines[head].length + 1 <= headBudget) used += lines[head++].length + 1;
  let tail = lines.length;
  used = 0;
  while (tail > head && used + lines[tail - 1].length + 1 <= tailBudget) used += lines[--tail].length + 1;
  // A single huge line (already capped lines never are) still gets cut rather than dropped entirely.
  if (head === 0 && tail === lines.length) {
    const text = lines.join('\n');
    return {
      text: `${text.slice(0, headBudget)}\n[… ${text.length - maxChars} characters left out …]\n${text.slice(-tailBudget)}`,
      omitted: 0,
    };
  }
  const omitted = tail - head;
  const note = `[… ${omitted} line${omitted === 1 ? '' : 's'} left out to keep this result under ${maxChars} characters.${opts.hint ? ' ' + opts.hint(head, tail - 1) : ''} …]`;
  return {
    text: [...lines.slice(0, head), note, ...lines.slice(tail)].join('\n'),
    omitted,
    omittedFrom: head,
    omittedTo: tail - 1,
  };
}

/** True when the bytes look binary: a NUL byte, or many control characters, in the sniffed prefix. */
export function looksBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, CAPS.binarySniffBytes);
  if (n === 0) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i];
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 8 && b !== 27) control++;
  }
  return control / n > 0.1;
}

/** "1.2 KB" style sizes. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** Clamps an optional integer argument into [min, max], using `dflt` when absent. */
export function clampInt(v: unknown, dflt: number, min: number, max: number): number {
  const n = typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : dflt;
  return Math.min(max, Math.max(min, n));
}
