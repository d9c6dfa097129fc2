// The limits a server states for a model in its `GET /v1/models` entry. No `vscode` import.
//
// Servers name the context window differently; each field below is read where the server puts it:
//   vLLM              max_model_len
//   OpenRouter, Together and many gateways   context_length (also nested: top_provider.context_length)
//   Fireworks, Groq and others               context_window
//   LiteLLM (/v1/model/info and some proxies) max_input_tokens (with max_tokens / max_output_tokens)
//   LM Studio (/api/v0/models)               max_context_length (loaded_context_length when loaded)
//   llama.cpp server                         meta.n_ctx_train (and n_ctx when it reports the slot size)
// Values may arrive as numbers or numeric strings; null, negative, fractional nonsense and absurd sizes are
// ignored, so a broken entry never becomes a window.

export interface ModelLimits {
  /** Tokens the model can take (prompt + answer), when the server states it. */
  contextWindow?: number;
  /** Which field it came from, e.g. "max_model_len" or "top_provider.context_length". */
  contextField?: string;
  /** Most tokens one answer may have, when the server states it. */
  maxOutputTokens?: number;
}

/** Larger than any real window (10M tokens): above this a value is taken to be an error in the entry. */
const MAX_PLAUSIBLE = 10_000_000;
/** Smaller than any real chat model's window. */
const MIN_PLAUSIBLE = 256;

/** A positive integer token count from a number or numeric string, else undefined. */
export function tokenCount(value: unknown, min = 1): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\d+(\.0+)?\s*$/.test(value)) n = Number(value);
  else return undefined;
  if (!Number.isFinite(n) || !Number.isInteger(n) || n < min || n > MAX_PLAUSIBLE) return undefined;
  return n;
}

function at(entry: unknown, path: string): unknown {
  let cur: unknown = entry;
  for (const key of path.split('.')) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * The window fields in order of preference. The loaded size of a local server comes before the model's trained
 * size: the server refuses past what it loaded, whatever the model could take.
 */
const WINDOW_FIELDS = [
  'max_model_len',
  'loaded_context_length',
  'context_length',
  'context_window',
  'max_context_length',
  'max_input_tokens',
  'top_provider.context_length',
  'meta.n_ctx',
  'meta.n_ctx_train',
  'info.context_length',
  'model_info.max_input_tokens',
];

const OUTPUT_FIELDS = [
  'max_output_tokens',
  'max_completion_tokens',
  'top_provider.max_completion_tokens',
  'model_info.max_output_tokens',
  'limits.max_output_tokens',
];

/** The context window and answer limit stated in one `/v1/models` entry (the raw object as the server sent it). */
export function parseModelLimits(entry: unknown): ModelLimits {
  const out: ModelLimits = {};
  if (!entry || typeof entry !== 'object') return out;
  for (const field of WINDOW_FIELDS) {
    const n = tokenCount(at(entry, field), MIN_PLAUSIBLE);
    if (n !== undefined) {
      out.contextWindow = n;
      out.contextField = field;
      break;
    }
  }
  for (const field of OUTPUT_FIELDS) {
    const n = tokenCount(at(entry, field));
    if (n !== undefined) {
      out.maxOutputTokens = n;
      break;
    }
  }
  // LiteLLM states max_tokens as the answer limit beside max_input_tokens; elsewhere max_tokens is ambiguous.
  if (out.maxOutputTokens === undefined && out.contextField === 'max_input_tokens') {
    const n = tokenCount(at(entry, 'max_tokens'));
    if (n !== undefined) out.maxOutputTokens = n;
  }
  // An answer limit as large as the window says nothing about the answer (OpenRouter does this).
  if (
    out.maxOutputTokens !== undefined &&
    out.contextWindow !== undefined &&
    out.maxOutputTokens >= out.contextWindow
  ) {
    delete out.maxOutputTokens;
  }
  return out;
}
