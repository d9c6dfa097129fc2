// The context window of a model at a base URL, and the room kept for the answer. No `vscode` import.
//
// Order of trust (the first that knows wins):
//   1. learned  — the server refused a request and said its limit (see refusal.ts); kept per base URL + model;
//   2. setting  — `bud.contextWindow`: { "model-id": 32768, "*": 16384 } (exact id first, then "*");
//   3. server   — the model's `/v1/models` entry (see modelInfo.ts);
//   4. default  — DEFAULT_WINDOW, small enough for most local servers.
// A learned window wins over the setting and metadata because a gateway may route one model id to a smaller
// deployment: the refusal is the server's own word. Changing the setting forgets learned windows (the host calls
// `LearnedWindows.forget`), so a raised setting is tried again.
//
// The answer reserve: `bud.maxTokens` when it is set (never more than half the window: a larger `max_tokens` is
// lowered to that, or every request would be refused); else RESERVE_SHARE of the window, at least RESERVE_MIN and
// at most RESERVE_MAX tokens, and never more than the answer limit the server states.
import { normaliseBaseUrl } from '../api/url';
import { tokenCount, type ModelLimits } from './modelInfo';
import type { WindowSource } from '../protocol';
import { formatNumber } from '../api/locale';
import * as l10n from '@vscode/l10n';

export const DEFAULT_WINDOW = 8192;
export const RESERVE_SHARE = 0.2;
export const RESERVE_MIN = 256;
export const RESERVE_MAX = 8192;
/** Never below this, whatever a refusal seemed to say (a window this small cannot hold a chat). */
export const MIN_WINDOW = 512;

export type { WindowSource };

export interface ResolvedWindow {
  /** Tokens the model takes, prompt and answer together. */
  tokens: number;
  source: WindowSource;
  /** A sentence for the meter's tooltip: where the number came from. */
  detail: string;
  /** The answer limit the server states, if any. */
  maxOutputTokens?: number;
}

export interface AnswerReserve {
  /** Tokens kept free for the answer. */
  tokens: number;
  /** How it was chosen, for the tooltip and the README. */
  rule: string;
  /** The `max_tokens` to send: the setting, lowered to fit when it is larger than half the window. */
  maxTokens?: number;
}

/** The key of a learned window: the normalised base URL and the model id. */
export function windowKey(baseUrl: string, model: string): string {
  const n = normaliseBaseUrl(baseUrl);
  return `${(n.error ? baseUrl.trim() : n.url).toLowerCase()}\n${model}`;
}

export interface LearnedEntry {
  tokens: number;
  /** When it was learned (ms since epoch). */
  at: number;
  /** The refusal gave no number: this is an estimate below the size that was refused. */
  estimated?: boolean;
}

/** Serialised form kept by the host (globalState), so learned windows survive reloads. */
export interface LearnedWindowsData {
  version: 1;
  entries: Record<string, LearnedEntry>;
}

/** Windows learned from refusals, per base URL and model. */
export class LearnedWindows {
  private entries = new Map<string, LearnedEntry>();

  constructor(data?: unknown) {
    if (data) this.load(data);
  }

  /** Accepts what `toJSON` wrote; anything else (an old or corrupt value) is ignored entry by entry. */
  load(data: unknown): void {
    const entries = (data as { entries?: unknown } | undefined)?.entries;
    if (!entries || typeof entries !== 'object') return;
    for (const [key, raw] of Object.entries(entries as Record<string, unknown>)) {
      const e = raw as Partial<LearnedEntry> | undefined;
      const tokens = tokenCount(e?.tokens, MIN_WINDOW);
      if (tokens === undefined || typeof key !== 'string' || !key.includes('\n')) continue;
      this.entries.set(key, { tokens, at: Number(e?.at) || 0, ...(e?.estimated ? { estimated: true } : {}) });
    }
  }

  get(baseUrl: string, model: string): LearnedEntry | undefined {
    return this.entries.get(windowKey(baseUrl, model));
  }

  /** Records a window; returns false when it was already known (so the caller does not retry twice for one limit). */
  learn(baseUrl: string, model: string, tokens: number, now: number, estimated = false): boolean {
    const key = windowKey(baseUrl, model);
    const value = Math.max(MIN_WINDOW, Math.floor(tokens));
    const old = this.entries.get(key);
    if (old && old.tokens === value) return false;
    this.entries.set(key, { tokens: value, at: now, ...(estimated ? { estimated: true } : {}) });
    return true;
  }

  /** Forgets the learned windows of a base URL (all models), or of one model there. */
  forget(baseUrl?: string, model?: string): void {
    if (baseUrl === undefined) {
      this.entries.clear();
      return;
    }
    const prefix = windowKey(baseUrl, '');
    for (const key of [...this.entries.keys()]) {
      if (model === undefined ? key.startsWith(prefix) : key === prefix + model) this.entries.delete(key);
    }
  }

  toJSON(): LearnedWindowsData {
    return { version: 1, entries: Object.fromEntries(this.entries) };
  }
}

/** `bud.contextWindow` as read from settings: a map from model id (or "*") to tokens, or one number for all. */
export type WindowSetting = Record<string, unknown> | number | undefined;

/** The setting's window for a model: its exact id, then a case-insensitive match, then "*". */
export function windowFromSetting(setting: WindowSetting, model: string): number | undefined {
  if (setting === undefined || setting === null) return undefined;
  if (typeof setting === 'number') return tokenCount(setting, MIN_WINDOW);
  if (typeof setting !== 'object') return undefined;
  const exact = tokenCount(setting[model], MIN_WINDOW);
  if (exact !== undefined) return exact;
  const lower = model.toLowerCase();
  for (const [k, v] of Object.entries(setting)) {
    if (k.toLowerCase() === lower) {
      const n = tokenCount(v, MIN_WINDOW);
      if (n !== undefined) return n;
    }
  }
  return tokenCount(setting['*'], MIN_WINDOW);
}

export interface WindowInputs {
  baseUrl: string;
  model: string;
  learned?: LearnedWindows;
  setting?: WindowSetting;
  metadata?: ModelLimits;
}

/** The window to fit requests into, and where it came from. */
export function resolveWindow(inp: WindowInputs): ResolvedWindow {
  const maxOut = inp.metadata?.maxOutputTokens;
  const withOut = (w: ResolvedWindow): ResolvedWindow => (maxOut !== undefined ? { ...w, maxOutputTokens: maxOut } : w);
  const learned = inp.learned?.get(inp.baseUrl, inp.model);
  if (learned) {
    return withOut({
      tokens: learned.tokens,
      source: 'learned',
      detail: learned.estimated
        ? l10n.t(
            'Learned from the server: it refused a longer request without saying its limit, so Bud keeps below {0} tokens.',
            formatNumber(learned.tokens),
          )
        : l10n.t(
            'Learned from the server: it refused a longer request and said its limit is {0} tokens.',
            formatNumber(learned.tokens),
          ),
    });
  }
  const fromSetting = windowFromSetting(inp.setting, inp.model);
  if (fromSetting !== undefined) {
    return withOut({
      tokens: fromSetting,
      source: 'setting',
      detail: l10n.t('From your setting bud.contextWindow ({0} tokens).', formatNumber(fromSetting)),
    });
  }
  const meta = inp.metadata?.contextWindow;
  if (meta !== undefined) {
    return withOut({
      tokens: meta,
      source: 'server',
      detail: l10n.t(
        "Stated by the server's model list ({0}: {1} tokens).",
        inp.metadata?.contextField ?? 'context length',
        formatNumber(meta),
      ),
    });
  }
  return withOut({
    tokens: DEFAULT_WINDOW,
    source: 'default',
    detail: l10n.t(
      "The server does not state this model's window, so Bud assumes {0} tokens. Set bud.contextWindow to use more.",
      formatNumber(DEFAULT_WINDOW),
    ),
  });
}

/** The room kept for the answer (see the rules at the top of this file). */
export function answerReserve(window: ResolvedWindow, maxTokensSetting?: number): AnswerReserve {
  const half = Math.floor(window.tokens / 2);
  const set = tokenCount(maxTokensSetting);
  if (set !== undefined) {
    if (set <= half)
      return { tokens: set, rule: l10n.t('bud.maxTokens ({0} tokens)', formatNumber(set)), maxTokens: set };
    return {
      tokens: half,
      rule: l10n.t(
        'bud.maxTokens ({0}) lowered to half the window ({1} tokens), so the question still fits',
        formatNumber(set),
        formatNumber(half),
      ),
      maxTokens: half,
    };
  }
  let tokens = Math.round(window.tokens * RESERVE_SHARE);
  tokens = Math.min(RESERVE_MAX, Math.max(RESERVE_MIN, tokens), half);
  if (window.maxOutputTokens !== undefined) tokens = Math.min(tokens, window.maxOutputTokens);
  return {
    tokens,
    rule: l10n.t(
      '{0}% of the window ({1} tokens; between {2} and {3})',
      Math.round(RESERVE_SHARE * 100),
      formatNumber(tokens),
      formatNumber(RESERVE_MIN),
      formatNumber(RESERVE_MAX),
    ),
  };
}
