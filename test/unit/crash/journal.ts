// The crash test's journal: what the workload (historyWorkload.ts) is about to do and what it finished, one JSON
// line each on its stdout, written before and after each store call. A pipe write is synchronous in Node on
// Linux, so a line is in the pipe before the operation it announces starts, and survives a SIGKILL.
// `expectations` turns the lines of one run into what the disk may hold after the kill.
import { newChat, type StoredChat, type StoredMessage } from '../../../src/chat/conversation';
import { interruptedNote } from '../../../src/chat/historyStore';

export type Line =
  | { op: 'ready'; chats: number }
  | {
      op: 'stream';
      phase: 'begin';
      chat: string;
      isNew: boolean;
      title: string;
      user: StoredMessage;
      answer: StoredMessage;
      final: string;
      tool?: string;
    }
  | { op: 'stream'; phase: 'user-saved' | 'answer-saved' | 'done'; chat: string }
  | { op: 'rename'; phase: 'begin'; chat: string; title: string }
  | { op: 'delete'; phase: 'begin'; chat: string }
  | { op: 'import'; phase: 'begin'; chat: string; data: StoredChat }
  | { op: 'rename' | 'delete' | 'import'; phase: 'done'; chat: string };

export type OpKind = 'stream' | 'rename' | 'delete' | 'import';

/** The operation under way when the process died, how far it had got, and the chat as it was before it. */
export interface InFlight {
  kind: OpKind;
  chat: string;
  phase: string;
  begin: Extract<Line, { phase: 'begin' }>;
  before: StoredChat | undefined;
}

/** Chats as the last acknowledged write left them (`undefined`: absent), and the one operation not acknowledged. */
export interface Expectations {
  acked: Map<string, StoredChat | undefined>;
  inFlight?: InFlight;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A stored message as loading gives it back (an answer saved while streaming is interrupted). */
export function asLoaded(m: StoredMessage): StoredMessage {
  const c = clone(m);
  if (c.status === 'streaming') {
    c.status = 'interrupted';
    c.note = interruptedNote();
    for (const t of c.toolCalls ?? []) if (t.state === 'running') t.state = 'cancelled';
  }
  return c;
}

type StreamBegin = Extract<Line, { op: 'stream'; phase: 'begin' }>;

/** `before` with the stream's user message, and with its complete answer when `done`. */
export function streamed(before: StoredChat | undefined, b: StreamBegin, done: boolean): StoredChat {
  const chat: StoredChat = before ? clone(before) : newChat(b.chat, b.user.createdAt);
  if (b.isNew) chat.title = b.title;
  chat.messages.push(clone(b.user));
  if (done) {
    const answer: StoredMessage = { ...clone(b.answer), content: b.final, status: 'complete' };
    if (b.tool) answer.toolCalls = [{ id: 'call-1', name: b.tool, argsText: '{}', state: 'done', summary: 'ok' }];
    chat.messages.push(answer);
  }
  return chat;
}

/** Applies one run's journal to the chats as they were before it. */
export function expectations(before: Map<string, StoredChat>, lines: Line[]): Expectations {
  const acked = new Map<string, StoredChat | undefined>(before);
  let inFlight: InFlight | undefined;
  for (const l of lines) {
    if (l.op === 'ready') continue;
    if (l.phase === 'begin') {
      inFlight = { kind: l.op, chat: l.chat, phase: 'begin', begin: l, before: acked.get(l.chat) };
      continue;
    }
    if (!inFlight || inFlight.chat !== l.chat || inFlight.kind !== l.op)
      throw new Error(`journal out of order at ${JSON.stringify(l)}`);
    inFlight.phase = l.phase;
    if (l.phase !== 'done') continue;
    const b = inFlight.begin;
    const cur = inFlight.before;
    if (b.op === 'stream') acked.set(l.chat, streamed(cur, b, true));
    else if (b.op === 'rename') acked.set(l.chat, cur && { ...cur, title: b.title });
    else if (b.op === 'delete') acked.set(l.chat, undefined);
    else acked.set(l.chat, clone(b.data));
    inFlight = undefined;
  }
  return { acked, inFlight };
}

/** Why `disk` (the chat as loaded, or undefined when absent) cannot be what the run left, or undefined if it can. */
export function checkChat(id: string, disk: StoredChat | undefined, exp: Expectations): string | undefined {
  const f = exp.inFlight?.chat === id ? exp.inFlight : undefined;
  const same = (a: StoredChat | undefined, b: StoredChat | undefined) =>
    JSON.stringify(a && comparable(a)) === JSON.stringify(b && comparable(b));
  if (!f) {
    const want = exp.acked.get(id);
    return same(disk, want) ? undefined : `${id}: expected ${describe(want)}, found ${describe(disk)}`;
  }
  const b = f.begin;
  const was = f.before;
  if (b.op === 'rename') {
    if (!was) return disk ? `${id}: renamed while absent, yet found` : undefined;
    return same(disk, was) || same(disk, { ...was, title: b.title })
      ? undefined
      : `${id}: mid-rename, found ${describe(disk)}`;
  }
  if (b.op === 'delete')
    return disk === undefined || same(disk, was) ? undefined : `${id}: mid-delete, found ${describe(disk)}`;
  if (b.op === 'import')
    return disk === undefined || same(disk, b.data) ? undefined : `${id}: mid-import, found ${describe(disk)}`;
  // Mid-stream. The user message is written first, then the answer (while streaming, then complete).
  const withUser = streamed(was, b, false);
  if (f.phase === 'begin')
    return same(disk, was) || same(disk, withUser)
      ? undefined
      : `${id}: mid-stream before any save, found ${describe(disk)}`;
  if (same(disk, withUser) && f.phase === 'user-saved') return undefined;
  if (same(disk, streamed(was, b, true))) return undefined;
  if (!disk) return `${id}: mid-stream, the chat is gone`;
  const last = disk.messages[disk.messages.length - 1];
  if (!same({ ...disk, messages: disk.messages.slice(0, -1) }, withUser))
    return `${id}: mid-stream, the messages before the answer changed: ${describe(disk)}`;
  if (last?.id !== b.answer.id) return `${id}: mid-stream, the last message is not the answer: ${describe(disk)}`;
  if (!b.final.startsWith(last.content))
    return `${id}: the answer on disk (${last.content.length} chars) is not a prefix of the streamed text`;
  if (last.status !== 'interrupted')
    return `${id}: the answer saved while streaming loaded as ${last.status}, not interrupted`;
  if ((last.toolCalls ?? []).some((t) => t.state !== 'cancelled'))
    return `${id}: a running tool call did not load as cancelled`;
  return undefined;
}

/** The fields compared (updatedAt changes with every save and says nothing about integrity). */
function comparable(c: StoredChat): unknown {
  return { id: c.id, title: c.title, createdAt: c.createdAt, messages: c.messages.map(asLoaded), selected: c.selected };
}

function describe(c: StoredChat | undefined): string {
  if (!c) return 'no chat';
  return `"${c.title}" [${c.messages.map((m) => `${m.id}:${m.role}:${m.status}:${m.content.length}`).join(', ')}]`;
}
