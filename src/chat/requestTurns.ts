// The chat history as turns for the fitter (src/context/fit.ts): each user message with the answers after it.
// Pure: no `vscode` import.
//
// The API messages of each stored message are built once and kept (with the token count of its attached code)
// until the stored message changes, so the counter's per-object cache holds across requests: a long chat is
// counted once, not on every send or keystroke. A stored message changes only by growing (streaming, Continue)
// or by changing status, which `entry` notices. The turns are kept the same way (by their first
// message), so a send in a 1,000-message chat rebuilds the turn being answered, not 500 of them.
import type { ChatMessage } from '../api/types';
import type { TokenCounter } from '../context/counter';
import type { HistoryTurn } from '../context/fit';
import { apiMessagesFor, type StoredMessage } from './conversation';
import { buildUserContent } from './prompts';

interface Entry {
  /** What of the stored message its API messages depend on (a stored message only grows or changes status). */
  status: StoredMessage['status'];
  length: number;
  apiCount: number;
  contextCount: number;
  finish: StoredMessage['finish'];
  api: ChatMessage[];
  attachmentTokens: number;
}

/** A turn as last built: its stored messages and their entries, to tell whether it still holds. */
interface BuiltTurn {
  members: readonly StoredMessage[];
  entries: readonly Entry[];
  turn: HistoryTurn;
}

export class RequestTurns {
  private readonly cache = new WeakMap<StoredMessage, Entry>();
  private readonly built = new WeakMap<StoredMessage, BuiltTurn>();

  constructor(private readonly counter: TokenCounter) {}

  private entry(m: StoredMessage): Entry {
    let e = this.cache.get(m);
    // Compared field by field: a fit of a long chat checks every message, and a signature string built for each
    // was most of its time and allocation.
    if (
      !e ||
      e.status !== m.status ||
      e.length !== m.content.length ||
      e.apiCount !== (m.apiMessages?.length ?? -1) ||
      e.contextCount !== (m.contexts?.length ?? 0) ||
      e.finish !== m.finish
    ) {
      const attachments = m.role === 'user' && m.contexts?.length ? buildUserContent('', m.contexts) : '';
      e = {
        status: m.status,
        length: m.content.length,
        apiCount: m.apiMessages?.length ?? -1,
        contextCount: m.contexts?.length ?? 0,
        finish: m.finish,
        api: apiMessagesFor(m),
        attachmentTokens: attachments ? this.counter.text(attachments) : 0,
      };
      this.cache.set(m, e);
    }
    return e;
  }

  /**
   * A value that stays the same object while what `m` contributes to a request is unchanged, and is replaced when
   * it changes: compared by identity to tell whether a fit made earlier still holds.
   */
  stateOf(m: StoredMessage): object {
    return this.entry(m);
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
    const out: HistoryTurn[] = [];
    for (let start = 0; start < history.length;) {
      let end = start + 1;
      while (end < history.length && history[end].role !== 'user') end++;
      out.push(this.turn(history, start, end));
      start = end;
    }
    return out;
  }

  /** The turn of `history[start..end)`: the one built before when it has the same messages, all unchanged. */
  private turn(history: readonly StoredMessage[], start: number, end: number): HistoryTurn {
    const prev = this.built.get(history[start]);
    if (prev && this.holds(prev, history, start, end)) return prev.turn;
    const members = history.slice(start, end);
    const entries = members.map((m) => this.entry(m));
    const turn: HistoryTurn = {
      ids: members.map((m) => m.id),
      messages: entries.flatMap((e) => e.api),
      attachmentTokens: entries.reduce((n, e) => n + e.attachmentTokens, 0),
    };
    this.built.set(history[start], { members, entries, turn });
    return turn;
  }

  private holds(prev: BuiltTurn, history: readonly StoredMessage[], start: number, end: number): boolean {
    if (prev.members.length !== end - start) return false;
    for (let i = start; i < end; i++)
      if (history[i] !== prev.members[i - start] || this.entry(history[i]) !== prev.entries[i - start]) return false;
    return true;
  }
}

/** The index of the turn holding the stored message `id`, or -1. */
export function turnIndexOf(turns: readonly HistoryTurn[], id: string): number {
  for (let i = 0; i < turns.length; i++) if (turns[i].ids.includes(id)) return i;
  return -1;
}
