// Reading response bodies within a size limit, and the error a JSON body may carry instead of an answer.
import * as l10n from '@vscode/l10n';
import type { Dispatcher } from 'undici';
import { redact, StreamError } from './errors';
import { redactDeep } from './redact';
import { messageFromJson } from './serverMessage';

/** Reads at most `limit` bytes of `body` as UTF-8; the rest is not read (the body is destroyed). */
export async function readBounded(
  body: Dispatcher.ResponseData['body'],
  limit: number,
): Promise<{ text: string; truncated: boolean }> {
  const parts: Buffer[] = [];
  let n = 0;
  let truncated = false;
  for await (const c of body) {
    const b = c as Buffer;
    if (n + b.length > limit) {
      parts.push(b.subarray(0, limit - n));
      truncated = true;
      break;
    }
    parts.push(b);
    n += b.length;
  }
  if (truncated) body.destroy();
  return { text: Buffer.concat(parts).toString('utf8'), truncated };
}

/** The first 200 characters of server text for a message, the key removed before the cut (so no part of it is left). */
export function preview(text: string, apiKey: string): string {
  return redact(text, apiKey).slice(0, 200);
}

/** Throws the error a user sees when a 200's JSON body is an error object instead of an answer (the key redacted). */
export function throwIfErrorBody(obj: unknown, where: { url: string; requestId?: string; apiKey: string }): void {
  if (!obj || typeof obj !== 'object' || !(obj as { error?: unknown }).error) return;
  const msg = redact(messageFromJson(redactDeep(obj, where.apiKey)) ?? l10n.t('no details given'), where.apiKey);
  throw new StreamError(l10n.t('The server returned an error instead of an answer: {0}.', msg), {
    serverMessage: msg,
    url: where.url,
    requestId: where.requestId,
  });
}
