// Fits an attachment's text into its token budget. Pure: no `vscode` import.
//
// A file that fits goes whole. A file that does not goes as its outline (document symbols, when a language
// extension provides them), its first lines and its last lines, with marker lines where text was left out and a
// note that says so; it is never dropped. Output that is read from the end (a terminal) keeps only its last lines.
//
// Invariant (property-tested): count(result.text) <= budget, and every line of the result that is not a marker or
// outline line is a line of the input, in order.
import { modelNumber } from '../api/locale';

export type Count = (text: string) => number;

export interface FitOptions {
  budget: number;
  count: Count;
  /** The file's outline, one symbol per line (fetched only when the text does not fit). */
  outline?: string;
  /** What to call the text in the note ("src/big.ts", "The output"). */
  name: string;
  /** 'headTail' (files, diffs) or 'tail' (terminal output: the end matters most). */
  keep?: 'headTail' | 'tail';
  /**
   * For a file too big to read whole: the text holds its first `after` lines and then its last lines; `lines`
   * lines between them were not read.
   */
  gap?: { after: number; lines: number };
}

export interface FittedText {
  text: string;
  /** The whole text was kept. */
  whole: boolean;
  totalLines: number;
  /** 1-based inclusive ranges of the input lines that were kept. */
  kept: [number, number][];
  /** Set when something was left out: a sentence for the chip and the model. */
  note?: string;
}

/** No tokenizer packs more than this many characters into a token on ordinary text, so longer text cannot fit. */
const MAX_CHARS_PER_TOKEN = 8;
/** Share of the budget the outline may take. */
const OUTLINE_SHARE = 0.3;
/** Share of the code budget for the head of a file (the rest is for its tail). */
const HEAD_SHARE = 2 / 3;

/** "a", "a and b", "a, b and c". */
function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Lines from `from` in steps of `step` (1 or -1) while their tokens fit `budget`; returns how many and their cost. */
function take(lines: readonly string[], from: number, step: 1 | -1, budget: number, count: Count, stop: number) {
  let used = 0;
  let n = 0;
  for (let i = from; step === 1 ? i < stop : i > stop; i += step) {
    const cost = count(lines[i]) + 1;
    if (used + cost > budget) break;
    used += cost;
    n++;
  }
  return { n, used };
}

/** `text` cut to `budget` tokens, whole lines only (a single over-long line is cut by characters). */
function cutToBudget(text: string, budget: number, count: Count): string {
  if (count(text) <= budget) return text;
  const lines = splitLines(text);
  const { n } = take(lines, 0, 1, budget, count, lines.length);
  if (n > 0) return lines.slice(0, n).join('\n');
  let chars = Math.max(0, budget);
  while (chars > 0 && count(text.slice(0, chars)) > budget) chars = Math.floor(chars / 2);
  return text.slice(0, chars);
}

export function fitText(text: string, opts: FitOptions): FittedText {
  const { count, budget } = opts;
  const lines = splitLines(text);
  const total = text === '' ? 0 : lines.length + (opts.gap?.lines ?? 0);
  if (!opts.gap && text.length <= budget * MAX_CHARS_PER_TOKEN && count(text) <= budget) {
    return { text, whole: true, totalLines: total, kept: total ? [[1, total]] : [] };
  }
  // Lines are counted one by one; joined, a few may count a token more. Fit again to a smaller budget then.
  let target = budget;
  for (let attempt = 0; attempt < 4; attempt++) {
    const r = fitLines(lines, total, { ...opts, budget: target }, budget);
    const over = count(r.text) - budget;
    if (over <= 0) return r;
    target -= over + 4 * (attempt + 1);
  }
  const r = fitLines(lines, total, { ...opts, budget: target }, budget);
  return { ...r, text: cutToBudget(r.text, budget, count) };
}

function fitLines(lines: readonly string[], total: number, opts: FitOptions, stated: number): FittedText {
  const { count, budget } = opts;
  // With a gap, `lines` holds the file's first `gap.after` lines and then its last lines.
  const gap = opts.gap ?? { after: lines.length, lines: 0 };
  const numberOf = (i: number) => (i < gap.after ? i + 1 : i + 1 + gap.lines);
  const markers = (from: number, to: number) => `[… lines ${modelNumber(from)}–${modelNumber(to)} are left out …]`;
  const parts: string[] = [];
  let room = budget;
  let outlineUsed = false;
  if (opts.outline && opts.keep !== 'tail') {
    const outline = cutToBudget(`Outline:\n${opts.outline.trim()}`, Math.floor(budget * OUTLINE_SHARE), count);
    if (outline.includes('\n')) {
      parts.push(outline, '');
      room -= count(outline) + 2;
      outlineUsed = true;
    }
  }
  // Room for the section headers and the marker line.
  room -= 3 * (count(markers(total, total)) + 1);
  const kept: [number, number][] = [];
  let headN = 0;
  if (opts.keep !== 'tail') {
    headN = take(lines, 0, 1, Math.floor(Math.max(0, room) * HEAD_SHARE), count, gap.after).n;
    if (headN === 0 && room > 0 && lines.length > 0) {
      // One line longer than the whole budget: keep its start.
      const cut = cutToBudget(lines[0], Math.floor(room * HEAD_SHARE), count);
      parts.push(`Lines 1–1 (cut):`, cut);
      room -= count(cut) + 1;
      kept.push([1, 1]);
      headN = 1;
    } else if (headN > 0) {
      const head = lines.slice(0, headN);
      parts.push(`Lines 1–${modelNumber(headN)}:`, ...head);
      room -= head.reduce((n, l) => n + count(l) + 1, 0);
      kept.push([1, headN]);
    }
  }
  // The tail stops at the head; with a gap, at the last line read before it (the lines between are unknown).
  const stop = gap.lines > 0 ? Math.max(headN, gap.after) - 1 : headN - 1;
  const tail = take(lines, lines.length - 1, -1, Math.max(0, room), count, stop);
  const tailFrom = tail.n > 0 ? numberOf(lines.length - tail.n) : total + 1;
  if (tailFrom > headN + 1) parts.push(markers(headN + 1, tailFrom - 1));
  if (tail.n > 0) {
    parts.push(`Lines ${modelNumber(tailFrom)}–${modelNumber(total)}:`, ...lines.slice(lines.length - tail.n));
    kept.push([tailFrom, total]);
  }
  const what = kept.map(([a, b]) => (a === b ? `line ${modelNumber(a)}` : `lines ${modelNumber(a)}–${modelNumber(b)}`));
  const sent = [...(outlineUsed ? ['its outline'] : []), ...what];
  const note =
    `${opts.name} has ${modelNumber(total)} lines, more than the ${modelNumber(stated)} tokens it may use in this message, ` +
    `so only ${listOf(sent) || 'this note'} ${sent.length === 1 ? 'is' : 'are'} sent.`;
  return { text: parts.join('\n'), whole: false, totalLines: total, kept, note };
}

/**
 * Splits `total` tokens among attachments that need `needs[i]` each: those needing less than an equal share get
 * what they need, the rest share what is left equally. The result never adds up to more than `total`.
 */
export function allocateBudget(needs: readonly number[], total: number): number[] {
  const out = needs.map(() => 0);
  const order = needs.map((n, i) => i).sort((a, b) => needs[a] - needs[b]);
  let left = Math.max(0, Math.floor(total));
  for (let k = 0; k < order.length; k++) {
    const share = Math.floor(left / (order.length - k));
    const give = Math.min(Math.max(0, needs[order[k]]), share);
    out[order[k]] = give;
    left -= give;
  }
  return out;
}
