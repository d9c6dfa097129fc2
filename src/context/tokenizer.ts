// The tokenizer behind every count: OpenAI's o200k_base (through `gpt-tokenizer`), loaded at its first use and
// never while the extension activates. No `vscode` import.
//
// Its rank table is about 2.4 MB of JavaScript; evaluating it takes a few hundred milliseconds. The extension
// bundle therefore does not contain it: esbuild builds it as its own file (dist/tokenizer.js) that this module
// requires on the first count (see esbuild.mjs), like dist/undici.js for the HTTP client. The host may warm it
// up once the chat view is idle (`warmUp`), so the first send does not pay for the load.
//
// Special-token strings in user text ("<|endoftext|>") are counted as the plain text they are, never refused.

export interface Tokenizer {
  /** e.g. "o200k_base", or "approximate" when the tokenizer could not be loaded. */
  readonly name: string;
  count(text: string): number;
}

let loaded: Tokenizer | undefined;
let loadError: string | undefined;

/**
 * When the tokenizer cannot be loaded (a damaged install), counts are estimated from the UTF-8 size: o200k
 * averages about 4 bytes per token on English and code, so 3 bytes per token over-counts, which keeps requests
 * inside the window at the cost of sending a little less.
 */
export const APPROXIMATE_BYTES_PER_TOKEN = 3;

const approximate: Tokenizer = {
  name: 'approximate',
  count: (text) => (text ? Math.ceil(Buffer.byteLength(text, 'utf8') / APPROXIMATE_BYTES_PER_TOKEN) : 0),
};

/** A run of non-whitespace longer than this is counted in slices (see `countInPieces`). */
export const LONG_RUN_CHARS = 1024;
const SLICE_CHARS = 256;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isSpace(code: number): boolean {
  return (
    code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000 || (code >= 0x2000 && code <= 0x200a)
  );
}

/**
 * Counts `text` with `count`, but a run of more than LONG_RUN_CHARS characters without whitespace (base64, a
 * minified line, a pasted blob) in slices of SLICE_CHARS: BPE merging inside one pre-token is quadratic, and a
 * 100,000-character run would otherwise block for tens of seconds (3,000,000 for hours). Text without such runs
 * is counted exactly as before; a sliced run counts at most a token or so more per slice, which only ever makes
 * a request smaller than it could be. One linear scan finds the runs.
 */
export function countInPieces(text: string, count: (piece: string) => number): number {
  if (text.length <= LONG_RUN_CHARS) return count(text);
  let total = 0;
  let from = 0;
  let runStart = 0;
  const flushRun = (end: number) => {
    if (end - runStart <= LONG_RUN_CHARS) return;
    total += count(text.slice(from, runStart));
    for (let i = runStart; i < end;) {
      let j = Math.min(end, i + SLICE_CHARS);
      // Never between the two halves of a surrogate pair.
      if (j < end && isHighSurrogate(text.charCodeAt(j - 1))) j++;
      total += count(text.slice(i, j));
      i = j;
    }
    from = end;
  };
  for (let i = 0; i < text.length; i++) {
    if (!isSpace(text.charCodeAt(i))) continue;
    flushRun(i);
    runStart = i + 1;
  }
  flushRun(text.length);
  return total + (from < text.length ? count(text.slice(from)) : 0);
}

function load(): Tokenizer {
  try {
    const mod =
      require('gpt-tokenizer/cjs/encoding/o200k_base') as typeof import('gpt-tokenizer/cjs/encoding/o200k_base');
    const opts = { disallowedSpecial: new Set<string>() };
    const exact = (piece: string) => (piece ? mod.countTokens(piece, opts) : 0);
    return { name: 'o200k_base', count: (text) => (text ? countInPieces(text, exact) : 0) };
  } catch (err) {
    loadError = err instanceof Error ? err.message : String(err);
    return approximate;
  }
}

/** The shared tokenizer (loaded on the first call). */
export function tokenizer(): Tokenizer {
  loaded ??= load();
  return loaded;
}

/** Whether the tokenizer has been loaded in this process (the bench and the activation test read it). */
export function isTokenizerLoaded(): boolean {
  return loaded !== undefined;
}

/** Why the real tokenizer could not be loaded (then counts are approximate), or undefined. */
export function tokenizerLoadError(): string | undefined {
  return loadError;
}

/** Loads the tokenizer now (the host calls this when the chat view is idle). */
export function warmUp(): void {
  tokenizer();
}
