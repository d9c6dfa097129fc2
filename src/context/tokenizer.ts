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

function load(): Tokenizer {
  try {
    const mod =
      require('gpt-tokenizer/cjs/encoding/o200k_base') as typeof import('gpt-tokenizer/cjs/encoding/o200k_base');
    const opts = { disallowedSpecial: new Set<string>() };
    return { name: 'o200k_base', count: (text) => (text ? mod.countTokens(text, opts) : 0) };
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
