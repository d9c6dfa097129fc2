// What VS Code is told about each Bud model (LanguageModelChatInformation, as plain data), and how a failed request
// is reported to it. Pure: no `vscode` import.
//
// The context size comes from the same window logic as the chat panel (src/context/limits.ts: a window learned from
// a refusal, then bud.contextWindow, then the server's model metadata, then the default), minus the room kept for
// the answer: VS Code fits its prompt into `maxInputTokens`, so the answer still has its room.
import * as l10n from '@vscode/l10n';
import type { ErrorKind } from '../api/errors';
import type { RequestBudget } from '../context/limits';
import { formatNumber } from '../api/locale';

export interface BudModelInfo {
  id: string;
  name: string;
  family: string;
  version: string;
  detail: string;
  tooltip: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  capabilities: { toolCalling: boolean; imageInput: boolean };
}

/** The model entries for VS Code: the server's list plus the configured model when the server does not list it. */
export function modelInformation(
  ids: readonly string[],
  extra: readonly string[],
  budget: (id: string) => RequestBudget,
  host: string,
): BudModelInfo[] {
  const all = [...new Set([...ids, ...extra.filter(Boolean)])];
  return all.map((id) => {
    const b = budget(id);
    const maxInputTokens = Math.max(1, b.window.tokens - b.reserve.tokens);
    const maxOutputTokens = b.reserve.maxTokens ?? b.window.maxOutputTokens ?? b.reserve.tokens;
    const listed = ids.includes(id);
    return {
      id,
      name: id,
      family: id,
      version: '1',
      detail: listed ? `Bud · ${host}` : l10n.t('Bud · {0} (added by hand)', host),
      tooltip: [
        l10n.t('{0} on {1}.', id, host),
        l10n.t('Context window {0} tokens: {1}', formatNumber(b.window.tokens), b.window.detail),
        l10n.t('Room kept for the answer: {0}.', b.reserve.rule),
      ].join('\n'),
      maxInputTokens,
      maxOutputTokens,
      capabilities: { toolCalling: true, imageInput: false },
    };
  });
}

/** The LanguageModelError factory that matches an error kind ('' for the generic error). */
export function languageModelErrorCode(kind: ErrorKind): 'NotFound' | 'NoPermissions' | 'Blocked' | '' {
  switch (kind) {
    case 'notFound':
    case 'noModel':
      return 'NotFound';
    case 'permission':
      return 'NoPermissions';
    case 'rateLimit':
      return 'Blocked';
    default:
      return '';
  }
}

/** The host part of a base URL for labels ("gateway.bud.studio", "127.0.0.1:8080"). */
export function hostLabel(baseUrl: string): string {
  try {
    return new URL(baseUrl).host || baseUrl;
  } catch {
    return baseUrl;
  }
}

/** Request parameters a caller may set through `modelOptions`, validated like the settings. */
export function modelOptionParams(options: { readonly [name: string]: unknown } | undefined): {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string[];
} {
  const out: { temperature?: number; top_p?: number; max_tokens?: number; stop?: string[] } = {};
  if (!options) return out;
  const num = (v: unknown, min: number, max: number) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : undefined;
  const t = num(options.temperature, 0, 2);
  if (t !== undefined) out.temperature = t;
  const p = num(options.top_p, 0, 1);
  if (p !== undefined) out.top_p = p;
  const m = num(options.max_tokens, 1, 1_000_000);
  if (m !== undefined) out.max_tokens = Math.round(m);
  const stop = options.stop;
  const list = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop : [];
  const clean = list.filter((s): s is string => typeof s === 'string' && s.length > 0).slice(0, 4);
  if (clean.length) out.stop = clean;
  return out;
}
