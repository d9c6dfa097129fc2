// Token counts of Chat Completions requests, with the per-message overhead of the format, cached so that no
// message is counted twice; and the per-model calibration against what the server reports. No `vscode` import.
//
// The overhead follows how OpenAI's chat format frames each message (`<|start|>role<|message|>…<|end|>`):
// MESSAGE_OVERHEAD tokens per message, NAME_OVERHEAD more with a `name`, REPLY_PRIMING for the assistant reply the
// request starts. Tool calls count their name, their arguments and TOOL_CALL_OVERHEAD; tool definitions count as
// their JSON plus TOOLS_OVERHEAD (servers render them in other shapes; calibration absorbs the difference).
//
// Caching: a message object is counted once (a WeakMap keyed by the object), so callers keep the API messages of
// a stored message alive and identical between requests (see src/chat's request building). System messages are
// built afresh for each request, so they are also cached by their text.
import type { ChatMessage, FunctionTool } from '../api/types';
import { tokenizer, type Tokenizer } from './tokenizer';

export const MESSAGE_OVERHEAD = 3;
export const NAME_OVERHEAD = 1;
export const REPLY_PRIMING = 3;
export const TOOL_CALL_OVERHEAD = 4;
export const TOOLS_OVERHEAD = 12;

/** Text of at most this many entries is remembered by content (system prompts, tool definitions). */
const TEXT_CACHE_ENTRIES = 32;

export class TokenCounter {
  private readonly messages = new WeakMap<ChatMessage, number>();
  private readonly toolLists = new WeakMap<readonly FunctionTool[], number>();
  private readonly texts = new Map<string, number>();
  private tk: Tokenizer | undefined;

  /** `source` defaults to the shared lazily loaded o200k tokenizer. */
  constructor(private readonly source: () => Tokenizer = tokenizer) {}

  get tokenizerName(): string {
    return this.tok().name;
  }

  private tok(): Tokenizer {
    this.tk ??= this.source();
    return this.tk;
  }

  /** Tokens of a text (not cached: for drafts and one-off pieces). */
  text(text: string): number {
    return text ? this.tok().count(text) : 0;
  }

  /** Tokens of a text remembered by its content (for the few large texts rebuilt per request). */
  textCached(text: string): number {
    if (!text) return 0;
    const hit = this.texts.get(text);
    if (hit !== undefined) {
      // Refresh its place in the insertion order: the oldest entry is the one evicted.
      this.texts.delete(text);
      this.texts.set(text, hit);
      return hit;
    }
    const n = this.tok().count(text);
    this.texts.set(text, n);
    if (this.texts.size > TEXT_CACHE_ENTRIES) this.texts.delete(this.texts.keys().next().value as string);
    return n;
  }

  /** Tokens one message adds to a request, overhead included. Counted once per message object. */
  message(m: ChatMessage): number {
    const hit = this.messages.get(m);
    if (hit !== undefined) return hit;
    const n = this.measure(m);
    this.messages.set(m, n);
    return n;
  }

  private measure(m: ChatMessage): number {
    let n = MESSAGE_OVERHEAD + 1; // the role is one token
    const content = typeof m.content === 'string' ? m.content : '';
    n += m.role === 'system' ? this.textCached(content) : this.text(content);
    if (m.name) n += NAME_OVERHEAD + this.text(m.name);
    if (m.tool_call_id) n += this.text(m.tool_call_id);
    for (const call of m.tool_calls ?? []) {
      n += TOOL_CALL_OVERHEAD + this.text(call.function?.name ?? '') + this.text(call.function?.arguments ?? '');
    }
    return n;
  }

  /** Tokens the tool definitions add (0 for none). Counted once per array, and by content. */
  tools(defs: readonly FunctionTool[] | undefined): number {
    if (!defs || defs.length === 0) return 0;
    const hit = this.toolLists.get(defs);
    if (hit !== undefined) return hit;
    const n = TOOLS_OVERHEAD + this.textCached(JSON.stringify(defs));
    this.toolLists.set(defs, n);
    return n;
  }

  /** The counted size of a request: its messages, its tools and the reply priming. */
  request(messages: readonly ChatMessage[], tools?: readonly FunctionTool[]): number {
    let n = REPLY_PRIMING + this.tools(tools);
    for (const m of messages) n += this.message(m);
    return n;
  }
}

// ------------------------------------------------------------------------------------------ calibration

/** Requests smaller than this say little about a ratio (fixed template tokens dominate): not used to calibrate. */
export const MIN_CALIBRATION_TOKENS = 64;
/** A factor outside these bounds is taken to be a misreport, not a tokenizer difference. */
export const MIN_FACTOR = 0.5;
export const MAX_FACTOR = 4;

interface CalibrationEntry {
  factor: number;
  samples: number;
}

export interface CalibrationData {
  version: 1;
  entries: Record<string, CalibrationEntry>;
}

/**
 * How many tokens the server counts per locally counted token, per model (keyed like learned windows). The first
 * report sets the factor; later ones move it, faster upwards than downwards, so an under-count is corrected at
 * once and an over-count only slowly (an over-count costs some room, an under-count costs a refusal).
 */
export class Calibration {
  private entries = new Map<string, CalibrationEntry>();

  constructor(data?: unknown) {
    if (data) this.load(data);
  }

  load(data: unknown): void {
    const entries = (data as { entries?: unknown } | undefined)?.entries;
    if (!entries || typeof entries !== 'object') return;
    for (const [key, raw] of Object.entries(entries as Record<string, unknown>)) {
      const e = raw as Partial<CalibrationEntry> | undefined;
      const factor = Number(e?.factor);
      if (!Number.isFinite(factor) || factor < MIN_FACTOR || factor > MAX_FACTOR) continue;
      this.entries.set(key, { factor, samples: Math.max(1, Math.floor(Number(e?.samples) || 1)) });
    }
  }

  /** The factor to multiply local counts by (1 until the server has reported). */
  factor(key: string): number {
    return this.entries.get(key)?.factor ?? 1;
  }

  samples(key: string): number {
    return this.entries.get(key)?.samples ?? 0;
  }

  /**
   * Records the server's `usage.prompt_tokens` for a request whose local count was `estimated`. Returns the new
   * factor, or undefined when the report was not used.
   */
  observe(key: string, estimated: number, actual: number): number | undefined {
    if (!(estimated >= MIN_CALIBRATION_TOKENS) || !(actual > 0) || !Number.isFinite(actual)) return undefined;
    const ratio = actual / estimated;
    if (ratio < MIN_FACTOR || ratio > MAX_FACTOR) return undefined;
    const old = this.entries.get(key);
    if (!old) {
      this.entries.set(key, { factor: ratio, samples: 1 });
      return ratio;
    }
    const weight = ratio > old.factor ? 0.8 : 0.3;
    const factor = old.factor + (ratio - old.factor) * weight;
    this.entries.set(key, { factor, samples: old.samples + 1 });
    return factor;
  }

  toJSON(): CalibrationData {
    return { version: 1, entries: Object.fromEntries(this.entries) };
  }
}
