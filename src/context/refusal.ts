// Recognises a server's "the request does not fit the context window" refusal and reads the numbers in it.
// No `vscode` import. The patterns are the servers' own wording (each is tested with a verbatim sample in
// test/unit/context/refusal.test.ts):
//
//   OpenAI      code "context_length_exceeded": "This model's maximum context length is N tokens. However, your
//               messages resulted in P tokens…" (older: "…however you requested T tokens (P in your prompt; C for the
//               completion)…"; GPT-5: "Input tokens exceed the configured limit of N tokens. Your messages resulted
//               in P tokens…")
//   vLLM        "This model's maximum context length is N tokens. However, you requested T tokens (P in the messages,
//               C in the completion)…", "…you requested P tokens in the messages, Please reduce…", "…However, your
//               request has P input tokens…", "'max_tokens' or 'max_completion_tokens' is too large: C. This model's
//               maximum context length is N tokens and your request has P input tokens (C > N - P)…"
//   llama.cpp   type "exceed_context_size_error" with n_prompt_tokens / n_ctx: "request (P tokens) exceeds the
//               available context size (N tokens), try increasing it" (older: no numbers in the message)
//   Ollama      "prompt too long; exceeded max context length by E tokens"; "the input length exceeds the context length"
//   LM Studio   "Trying to keep the first P tokens when context the overflows. However, the model is loaded with
//               context length of only N tokens, which is not enough…"; "…tokens to keep from the initial prompt is
//               greater than the context length"
//   LiteLLM     "litellm.ContextWindowExceededError: …" around the upstream's own message (read as above)
//   Anthropic   "prompt is too long: P tokens > N maximum"; "input length and `max_tokens` exceed context limit:
//               P + C > N, …"
//   Gemini      "The input token count (P) exceeds the maximum number of tokens allowed (N)." (2.5: without "(P)")
//   Mistral     "Prompt contains P tokens, too large for model with N maximum context length"
//   OpenRouter  "This endpoint's maximum context length is N tokens. However, you requested about T tokens (P of
//               text input, C in the output)…"
//   Together    "The input (P tokens) is longer than the model's context length (N tokens)."
//
// Where a refusal carries no window (Ollama, older llama.cpp, LM Studio's short form, a bare
// "context_length_exceeded"), `learnedWindow` derives one from what was sent: below the refused size (see there).
import { MIN_WINDOW } from './windows';

export type RefusalFamily =
  | 'openai'
  | 'vllm'
  | 'llama.cpp'
  | 'ollama'
  | 'lmstudio'
  | 'litellm'
  | 'anthropic'
  | 'gemini'
  | 'mistral'
  | 'openrouter'
  | 'together'
  | 'unknown';

export interface ContextRefusal {
  family: RefusalFamily;
  /** The server's window (tokens), when it says. */
  window?: number;
  /** The prompt tokens the server counted for the refused request, when it says. */
  promptTokens?: number;
  /** The answer tokens the request asked for (max_tokens), when it says. */
  completionTokens?: number;
  /** Tokens over the limit (Ollama), when it says. */
  excess?: number;
}

const NUM = String.raw`(\d[\d,]*)`;
const num = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number(s.replace(/,/g, ''));
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

interface Pattern {
  family: RefusalFamily;
  re: RegExp;
  /** Group names to fields. */
  fields: Partial<Record<'window' | 'promptTokens' | 'completionTokens' | 'excess', number>>;
}

const P = (family: RefusalFamily, re: string, fields: Pattern['fields']): Pattern => ({
  family,
  re: new RegExp(re, 'i'),
  fields,
});

// Most specific first: the first pattern that matches decides the family and the numbers.
const PATTERNS: Pattern[] = [
  P(
    'vllm',
    String.raw`'max_tokens' or 'max_completion_tokens' is too large: ${NUM}\. This model's maximum context length is ${NUM} tokens and your request has ${NUM} input tokens`,
    { completionTokens: 1, window: 2, promptTokens: 3 },
  ),
  P(
    'vllm',
    String.raw`maximum context length is ${NUM} tokens\. However, you requested ${NUM} tokens \(${NUM} in the messages, ${NUM} in the completion\)`,
    { window: 1, promptTokens: 3, completionTokens: 4 },
  ),
  P(
    'vllm',
    String.raw`maximum context length is ${NUM} tokens\. However, you requested ${NUM} tokens in the messages`,
    { window: 1, promptTokens: 2 },
  ),
  P('vllm', String.raw`maximum context length is ${NUM} tokens\. However, your request has ${NUM} input tokens`, {
    window: 1,
    promptTokens: 2,
  }),
  P(
    'openrouter',
    String.raw`endpoint's maximum context length is ${NUM} tokens\. However, you requested about ${NUM} tokens \(${NUM} of text input(?:, ${NUM} in the output)?\)`,
    { window: 1, promptTokens: 3, completionTokens: 4 },
  ),
  P('openai', String.raw`maximum context length is ${NUM} tokens\. However, your messages resulted in ${NUM} tokens`, {
    window: 1,
    promptTokens: 2,
  }),
  P(
    'openai',
    String.raw`maximum context length is ${NUM} tokens, however you requested ${NUM} tokens \(${NUM} in your prompt[;,] ${NUM} for the completion\)`,
    { window: 1, promptTokens: 3, completionTokens: 4 },
  ),
  P(
    'openai',
    String.raw`Input tokens exceed the configured limit of ${NUM} tokens\. Your messages resulted in ${NUM} tokens`,
    { window: 1, promptTokens: 2 },
  ),
  P('llama.cpp', String.raw`request \(${NUM} tokens\) exceeds the available context size \(${NUM} tokens\)`, {
    promptTokens: 1,
    window: 2,
  }),
  P('llama.cpp', String.raw`input \(${NUM} tokens\) is larger than the max context size \(${NUM} tokens\)`, {
    promptTokens: 1,
    window: 2,
  }),
  P('llama.cpp', String.raw`exceeds the available context size`, {}),
  P('ollama', String.raw`prompt too long; exceeded (?:max )?context length by ${NUM} tokens`, { excess: 1 }),
  P('ollama', String.raw`input length exceeds the context length`, {}),
  P(
    'lmstudio',
    String.raw`Trying to keep the first ${NUM} tokens when context the overflows\. However, the model is loaded with context length of only ${NUM} tokens`,
    { promptTokens: 1, window: 2 },
  ),
  P('lmstudio', String.raw`tokens to keep from the initial prompt is greater than the context length`, {}),
  P('anthropic', String.raw`prompt is too long: ${NUM} tokens > ${NUM} maximum`, { promptTokens: 1, window: 2 }),
  P('anthropic', String.raw`input length and .max_tokens. exceed context limit: ${NUM} \+ ${NUM} > ${NUM}`, {
    promptTokens: 1,
    completionTokens: 2,
    window: 3,
  }),
  P('gemini', String.raw`input token count \(${NUM}\) exceeds the maximum number of tokens allowed \(${NUM}\)`, {
    promptTokens: 1,
    window: 2,
  }),
  P('gemini', String.raw`input token count exceeds the maximum number of tokens allowed \(${NUM}\)`, { window: 1 }),
  P(
    'mistral',
    String.raw`Prompt contains ${NUM} tokens.{0,40}? too large for model with ${NUM} maximum context length`,
    { promptTokens: 1, window: 2 },
  ),
  P('together', String.raw`The input \(${NUM} tokens\) is longer than the model's context length \(${NUM} tokens\)`, {
    promptTokens: 1,
    window: 2,
  }),
  P('openai', String.raw`maximum context length is ${NUM} tokens`, { window: 1 }),
  P(
    'unknown',
    String.raw`context_length_exceeded|context length exceeded|context window exceeded|exceeds? the context window`,
    {},
  ),
];

/** Rate limits also speak of "too many tokens"; those are never context refusals. */
const NOT_CONTEXT = /rate.?limit|too many requests|throttl|quota|per minute|\bTPM\b|\bRPM\b/i;

/** Statuses that cannot be a context refusal (auth, missing model, rate limit). */
const OTHER_STATUS = new Set([401, 403, 404, 408, 429]);

function jsonFields(text: string): { nCtx?: number; nPrompt?: number; type?: string; code?: string } {
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return {};
  try {
    let o = JSON.parse(t) as unknown;
    if (Array.isArray(o)) o = o[0];
    const e = ((o as { error?: unknown })?.error ?? o) as Record<string, unknown> | undefined;
    if (!e || typeof e !== 'object') return {};
    return {
      nCtx: typeof e.n_ctx === 'number' ? num(String(e.n_ctx)) : undefined,
      nPrompt: typeof e.n_prompt_tokens === 'number' ? num(String(e.n_prompt_tokens)) : undefined,
      type: typeof e.type === 'string' ? e.type : undefined,
      code: typeof e.code === 'string' ? e.code : undefined,
    };
  } catch {
    return {};
  }
}

/**
 * The context refusal in a failed response, or undefined when it is some other error. `text` is the raw error
 * body (JSON or not) or the server's message; both may be given (the body carries llama.cpp's n_ctx fields).
 */
export function parseContextRefusal(
  status: number | undefined,
  text: string | undefined,
  message?: string,
): ContextRefusal | undefined {
  if (status !== undefined && OTHER_STATUS.has(status)) return undefined;
  const body = text ?? '';
  const all = message && message !== body ? `${body}\n${message}` : body;
  if (!all.trim()) return undefined;
  const fields = jsonFields(body);
  const flagged = fields.type === 'exceed_context_size_error' || fields.code === 'context_length_exceeded';
  if (!flagged && NOT_CONTEXT.test(all)) return undefined;
  let out: ContextRefusal | undefined;
  for (const p of PATTERNS) {
    const m = p.re.exec(all);
    if (!m) continue;
    out = { family: p.family };
    for (const [field, group] of Object.entries(p.fields) as [keyof typeof p.fields, number][]) {
      const n = num(m[group]);
      if (n !== undefined) out[field] = n;
    }
    break;
  }
  if (fields.type === 'exceed_context_size_error') {
    out = { ...(out ?? {}), family: 'llama.cpp' };
    if (fields.nCtx !== undefined) out.window = fields.nCtx;
    if (fields.nPrompt !== undefined) out.promptTokens = fields.nPrompt;
  } else if ((!out || out.family === 'unknown') && fields.code === 'context_length_exceeded') {
    out = { ...(out ?? {}), family: 'openai' };
  }
  // OpenAI once used vLLM's sentence; its error code tells them apart.
  if (out?.family === 'vllm' && fields.code === 'context_length_exceeded') out.family = 'openai';
  if (out && /ContextWindowExceededError/.test(all)) out.family = 'litellm';
  return out;
}

/** What was sent in the refused request, for deriving a window when the refusal gives none. */
export interface SentSize {
  /** The request's prompt tokens as Bud counted them (calibration applied). */
  promptTokens: number;
  /** The `max_tokens` sent, if any. */
  maxTokens?: number;
}

export interface LearnedFromRefusal {
  /** The window to use from now on. */
  window: number;
  /** The refusal gave no window: derived from what was sent. */
  estimated: boolean;
}

/** Below the refused size by this share when the server does not say its window. */
export const UNKNOWN_WINDOW_SHRINK = 0.75;

/**
 * The window a refusal teaches. Stated: taken as is. Ollama's "exceeded by E" (its prompt alone is over): Bud's
 * count of the prompt minus E. Nothing stated: UNKNOWN_WINDOW_SHRINK of what was sent (prompt + max_tokens), which is known to
 * be too large; a second refusal shrinks it again.
 */
export function learnedWindow(refusal: ContextRefusal, sent: SentSize): LearnedFromRefusal {
  if (refusal.window !== undefined) return { window: Math.max(MIN_WINDOW, refusal.window), estimated: false };
  const prompt = refusal.promptTokens ?? sent.promptTokens;
  if (refusal.excess !== undefined)
    return { window: Math.max(MIN_WINDOW, prompt - refusal.excess), estimated: refusal.promptTokens === undefined };
  return {
    window: Math.max(MIN_WINDOW, Math.floor((prompt + (sent.maxTokens ?? 0)) * UNKNOWN_WINDOW_SHRINK)),
    estimated: true,
  };
}
