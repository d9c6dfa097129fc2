// Checks a request before anything is sent, the way the Bud SDK does: limits and ranges, each error naming
// the limit and the value found. No `vscode` import.
import * as l10n from '@vscode/l10n';
import { ValidationError } from './errors';
import type { ChatCompletionParams, ChatMessage } from './types';
import { formatNumber } from './locale';

export const LIMITS = { maxMessages: 1000, maxContentChars: 1_000_000 };

const ROLES = new Set(['system', 'user', 'assistant', 'tool', 'developer']);

const fmt = (n: number) => (Number.isInteger(n) ? formatNumber(n) : String(n));

/** Number of characters of a message's content (string, or an array of text parts). */
export function contentLength(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (Array.isArray(content)) {
    let n = 0;
    for (const part of content)
      if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string')
        n += (part as { text: string }).text.length;
    return n;
  }
  return 0;
}

function checkRange(name: string, value: unknown, min: number, max: number): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(
      l10n.t('{0} must be a number between {1} and {2}; got {3}.', name, min, max, JSON.stringify(value)),
      name,
    );
  }
  if (value < min || value > max) {
    throw new ValidationError(l10n.t('{0} {1} is outside the allowed range {2} to {3}.', name, value, min, max), name);
  }
}

function checkMessage(m: ChatMessage, i: number): void {
  const n = i + 1;
  if (!m || typeof m !== 'object')
    throw new ValidationError(l10n.t('Message {0} is not an object.', n), `messages[${i}]`);
  if (!ROLES.has(m.role)) {
    throw new ValidationError(
      l10n.t(
        'Message {0} has an unknown role {1}; allowed roles are system, user, assistant and tool.',
        n,
        JSON.stringify(m.role),
      ),
      `messages[${i}].role`,
    );
  }
  const len = contentLength(m.content);
  if (len > LIMITS.maxContentChars) {
    throw new ValidationError(
      l10n.t(
        'Message {0} ({1}) has {2} characters; the limit is {3} characters per message. Shorten it or attach less code.',
        n,
        m.role,
        fmt(len),
        fmt(LIMITS.maxContentChars),
      ),
      `messages[${i}].content`,
    );
  }
  if (m.role === 'tool' && (typeof m.tool_call_id !== 'string' || m.tool_call_id === '')) {
    throw new ValidationError(
      l10n.t('Message {0} has role "tool" but no tool_call_id; a tool result must name the tool call it answers.', n),
      `messages[${i}].tool_call_id`,
    );
  }
}

/** Throws a `ValidationError` naming the limit and the value when `p` would be refused. */
export function validateParams(p: ChatCompletionParams): void {
  if (!p || typeof p !== 'object') throw new ValidationError(l10n.t('The request is empty.'), 'params');
  if (typeof p.model !== 'string' || p.model.trim() === '') {
    throw new ValidationError(l10n.t('No model is selected; choose a model before sending.'), 'model', 'noModel');
  }
  if (!Array.isArray(p.messages) || p.messages.length === 0) {
    throw new ValidationError(l10n.t('The request has no messages; at least one message is required.'), 'messages');
  }
  if (p.messages.length > LIMITS.maxMessages) {
    throw new ValidationError(
      l10n.t(
        'The conversation has {0} messages; the limit is {1} messages per request. Start a new chat.',
        fmt(p.messages.length),
        fmt(LIMITS.maxMessages),
      ),
      'messages',
    );
  }
  for (let i = 0; i < p.messages.length; i++) checkMessage(p.messages[i], i);
  checkRange('temperature', p.temperature, 0, 2);
  checkRange('top_p', p.top_p, 0, 1);
  checkRange('presence_penalty', p.presence_penalty, -2, 2);
  checkRange('frequency_penalty', p.frequency_penalty, -2, 2);
  if (p.max_tokens !== undefined && p.max_tokens !== null) {
    if (typeof p.max_tokens !== 'number' || !Number.isInteger(p.max_tokens) || p.max_tokens < 1) {
      throw new ValidationError(
        l10n.t('max_tokens must be a whole number of at least 1; got {0}.', JSON.stringify(p.max_tokens)),
        'max_tokens',
      );
    }
  }
  if (p.stop !== undefined && p.stop !== null) {
    const ok = typeof p.stop === 'string' || (Array.isArray(p.stop) && p.stop.every((s) => typeof s === 'string'));
    if (!ok)
      throw new ValidationError(
        l10n.t('stop must be a string or a list of strings; got {0}.', JSON.stringify(p.stop)),
        'stop',
      );
  }
  if (p.user !== undefined && p.user !== null && typeof p.user !== 'string') {
    throw new ValidationError(l10n.t('user must be a string; got {0}.', JSON.stringify(p.user)), 'user');
  }
  if (p.tools !== undefined && p.tools !== null) {
    if (!Array.isArray(p.tools)) throw new ValidationError(l10n.t('tools must be a list of function tools.'), 'tools');
    p.tools.forEach((t, i) => {
      if (!t || t.type !== 'function' || !t.function || typeof t.function.name !== 'string' || t.function.name === '') {
        throw new ValidationError(
          l10n.t(
            'Tool {0} must be {1}; got {2}.',
            i + 1,
            '{"type":"function","function":{"name":…}}',
            String(JSON.stringify(t)?.slice(0, 200)),
          ),
          `tools[${i}]`,
        );
      }
    });
  }
  const tc = p.tool_choice;
  if (tc !== undefined && tc !== null) {
    const ok =
      tc === 'auto' ||
      tc === 'none' ||
      tc === 'required' ||
      (typeof tc === 'object' &&
        tc.type === 'function' &&
        typeof tc.function?.name === 'string' &&
        tc.function.name !== '');
    if (!ok)
      throw new ValidationError(
        l10n.t(
          'tool_choice must be "auto", "none", "required" or {0}; got {1}.',
          '{"type":"function","function":{"name":…}}',
          JSON.stringify(tc),
        ),
        'tool_choice',
      );
  }
}
