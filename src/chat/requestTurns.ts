// The chat history as turns for the fitter (src/context/fit.ts): each user message with the answers after it.
// Pure: no `vscode` import.
//
// The API messages of each stored message are built once and kept (with the token count of its attached code)
// until the stored message changes, so the counter's per-object cache holds across requests: a long chat is
// counted once, not on every send or keystroke. A stored message changes only by growing (streaming, Continue)
// or by changing status, which the signature below notices.
import type { ChatMessage } from '../api/types';
import type { TokenCounter } from '../context/counter';
import type { HistoryTurn } from '../context/fit';
import { apiMessagesFor, type StoredMessage } from './conversation';
import { buildUserContent } from './prompts';

interface Entry {
  sig: string;
  api: ChatMessage[];
  attachmentTokens: number;
}

/** What of a stored message its API messages depend on (a stored message only grows or changes status). */
export function messageSignature(m: StoredMessage): string {
  return `${m.status}|${m.content.length}|${m.apiMessages?.length ?? -1}|${m.contexts?.length ?? 0}|${m.finish ?? ''}`;
}

export class RequestTurns {
  private readonly cache = new WeakMap<StoredMessage, Entry>();

  constructor(private readonly counter: TokenCounter) {}

  private entry(m: StoredMessage): Entry {
    const sig = messageSignature(m);
    let e = this.cache.get(m);
    if (!e || e.sig !== sig) {
      const attachments = m.role === 'user' && m.contexts?.length ? buildUserContent('', m.contexts) : '';
      e = { sig, api: apiMessagesFor(m), attachmentTokens: attachments ? this.counter.text(attachments) : 0 };
      this.cache.set(m, e);
    }
    return e;
  }

  /** The API messages a stored message contributes (the same objects while it is unchanged). */
  apiMessages(m: StoredMessage): ChatMessage[] {
    return this.entry(m).api;
  }

  /**
   * The history as turns, oldest first. Answers before the first user message (never made by Bud, but possible
   * in an edited file) form a turn of their own.
   */
  turns(history: readonly StoredMessage[]): HistoryTurn[] {
    const out: { ids: string[]; messages: ChatMessage[]; attachmentTokens: number }[] = [];
    for (const m of history) {
      const e = this.entry(m);
      if (m.role === 'user' || out.length === 0) out.push({ ids: [], messages: [], attachmentTokens: 0 });
      const t = out[out.length - 1];
      t.ids.push(m.id);
      t.messages.push(...e.api);
      t.attachmentTokens += e.attachmentTokens;
    }
    return out;
  }
}

/** The index of the turn holding the stored message `id`, or -1. */
export function turnIndexOf(turns: readonly HistoryTurn[], id: string): number {
  for (let i = 0; i < turns.length; i++) if (turns[i].ids.includes(id)) return i;
  return -1;
}
