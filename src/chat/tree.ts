// The messages of a chat form a tree: editing a question adds a sibling of that user message, regenerating an
// answer adds a sibling of that answer, and each message's `parentId` names the message it follows (absent for
// the chat's first messages). The chat remembers which child is shown after each message (`selected`); the
// active path — what the view shows, what is sent to the model, what Markdown export writes — is the one walk from
// the roots through those choices (the newest child where there is no choice). Pure: no `vscode` import.
import type { BranchInfo } from '../protocol';
import type { StoredChat, StoredMessage } from './conversation';

/** The `selected` key of the chat's first messages (message ids are never empty). */
export const ROOT = '';

export function parentKey(m: Pick<StoredMessage, 'parentId'>): string {
  return m.parentId ?? ROOT;
}

/** Children of each message (and of ROOT), in the chat's order (oldest first). */
export function childIndex(messages: readonly StoredMessage[]): Map<string, StoredMessage[]> {
  const kids = new Map<string, StoredMessage[]>();
  for (const m of messages) {
    const key = parentKey(m);
    const list = kids.get(key);
    if (list) list.push(m);
    else kids.set(key, [m]);
  }
  return kids;
}

function chosen(list: readonly StoredMessage[], selectedId: string | undefined): StoredMessage {
  return (selectedId !== undefined && list.find((m) => m.id === selectedId)) || list[list.length - 1];
}

/**
 * The conversation on screen: from the roots, the selected (else newest) child of each message, to a leaf.
 * The same walk as `pathFrom` over `childIndex`, without building every child list: it runs several times per
 * message sent, and in a long chat those lists were most of what a send allocated.
 */
export function activePath(chat: Pick<StoredChat, 'messages' | 'selected'>): StoredMessage[] {
  const { messages, selected } = chat;
  const newest = new Map<string, StoredMessage>();
  for (const m of messages) newest.set(parentKey(m), m);
  let byId: Map<string, StoredMessage> | undefined;
  const out: StoredMessage[] = [];
  let key = ROOT;
  for (let next = newest.get(key); next; next = newest.get(key)) {
    const choice = selected[key];
    if (choice !== undefined && choice !== next.id) {
      byId ??= indexById(messages);
      const m = byId.get(choice);
      if (m && parentKey(m) === key) next = m;
    }
    // Longer than the chat: ids repeat (never in a valid chat); the careful walk stops at the first repeat.
    if (out.length === messages.length) return pathFrom(chat, childIndex(messages), ROOT);
    out.push(next);
    key = next.id;
  }
  return out;
}

/** The active path below `key` (ROOT or a message id), not including that message. */
export function pathFrom(
  chat: Pick<StoredChat, 'selected'>,
  kids: Map<string, StoredMessage[]>,
  key: string,
): StoredMessage[] {
  const out: StoredMessage[] = [];
  const seen = new Set<string>();
  for (let list = kids.get(key); list?.length; list = kids.get(key)) {
    const next = chosen(list, chat.selected[key]);
    if (seen.has(next.id)) break; // a cycle cannot come from a validated file; never loop on one anyway
    seen.add(next.id);
    out.push(next);
    key = next.id;
  }
  return out;
}

/** Each message by its id (the last one where ids repeat, which a valid chat never has). */
function indexById(messages: readonly StoredMessage[]): Map<string, StoredMessage> {
  // Filled in a loop: an [id, message] pair per message would be most of what this allocates in a long chat.
  const byId = new Map<string, StoredMessage>();
  for (const m of messages) byId.set(m.id, m);
  return byId;
}

/** The messages from the chat's start to `m` (included), following parents: the conversation `m` ends. */
export function pathTo(chat: Pick<StoredChat, 'messages'>, m: StoredMessage): StoredMessage[] {
  const byId = indexById(chat.messages);
  const out: StoredMessage[] = [];
  const seen = new Set<string>();
  for (let cur: StoredMessage | undefined = m; cur && !seen.has(cur.id);) {
    seen.add(cur.id);
    out.push(cur);
    cur = cur.parentId === undefined ? undefined : byId.get(cur.parentId);
  }
  return out.reverse();
}

/** The last message of the active path (undefined for an empty chat). */
export function activeLeaf(chat: Pick<StoredChat, 'messages' | 'selected'>): StoredMessage | undefined {
  const path = activePath(chat);
  return path[path.length - 1];
}

/** Where a message stands among its siblings; undefined when it has none. */
export function branchInfo(kids: Map<string, StoredMessage[]>, m: StoredMessage): BranchInfo | undefined {
  const siblings = kids.get(parentKey(m)) ?? [];
  if (siblings.length < 2) return undefined;
  return { index: siblings.indexOf(m), count: siblings.length };
}

/** `branchInfo` of one message, without indexing every message's children. */
export function branchOf(messages: readonly StoredMessage[], m: StoredMessage): BranchInfo | undefined {
  const key = parentKey(m);
  let index = -1;
  let count = 0;
  for (const x of messages) {
    if (parentKey(x) !== key) continue;
    if (x === m) index = count;
    count++;
  }
  return count < 2 ? undefined : { index, count };
}

export function findMessage(chat: Pick<StoredChat, 'messages'>, id: string): StoredMessage | undefined {
  return chat.messages.find((m) => m.id === id);
}

/** Adds `m` after `parent` (undefined: as a first message) and shows it. Returns the selection key it changed. */
export function addChild(chat: StoredChat, parent: StoredMessage | undefined, m: StoredMessage): void {
  if (parent) m.parentId = parent.id;
  else delete m.parentId;
  chat.messages.push(m);
  chat.selected[parentKey(m)] = m.id;
}

/** Makes the active path go through message `id` (its ancestors' choices are set); false when it is unknown. */
export function selectPathTo(chat: StoredChat, id: string): boolean {
  const byId = indexById(chat.messages);
  let m = byId.get(id);
  if (!m) return false;
  const seen = new Set<string>();
  while (m && !seen.has(m.id)) {
    seen.add(m.id);
    chat.selected[parentKey(m)] = m.id;
    m = m.parentId === undefined ? undefined : byId.get(m.parentId);
  }
  return true;
}

/**
 * Shows sibling `index` of message `id` instead of it. Returns the key whose choice changed (the path below it is
 * what changed on screen), or undefined when there is no such sibling.
 */
export function switchSibling(chat: StoredChat, id: string, index: number): string | undefined {
  const m = findMessage(chat, id);
  if (!m || !Number.isInteger(index)) return undefined;
  const key = parentKey(m);
  const siblings = chat.messages.filter((x) => parentKey(x) === key);
  const target = siblings[index];
  if (!target) return undefined;
  chat.selected[key] = target.id;
  return key;
}

/** What deleting a turn changed, enough to put it back exactly. */
export interface DeletedTurn {
  chatId: string;
  /** The removed messages with their positions in `chat.messages`, in ascending order. */
  removed: { index: number; message: StoredMessage }[];
  /** Messages that were moved up to the deleted question's parent, with the parent they had. */
  moved: { id: string; parentId: string }[];
  selected: Record<string, string>;
  /** The selection key below which the path changed. */
  key: string;
}

/**
 * Deletes the turn of user message `id`: the question, every answer to it, and the other branches under those
 * answers. The continuation after the answer on screen is kept: its messages move up to the question's parent.
 * Undefined when `id` is not a user message of the chat.
 */
export function deleteTurn(chat: StoredChat, id: string): DeletedTurn | undefined {
  const question = findMessage(chat, id);
  if (!question || question.role !== 'user') return undefined;
  const kids = childIndex(chat.messages);
  const answers = kids.get(question.id) ?? [];
  const shown = answers.length ? chosen(answers, chat.selected[question.id]) : undefined;
  const keep = new Set((shown && kids.get(shown.id)) ?? []);
  const doomed = new Set<string>([question.id]);
  const stack = [...answers];
  while (stack.length) {
    const m = stack.pop()!;
    if (keep.has(m) || doomed.has(m.id)) continue;
    doomed.add(m.id);
    stack.push(...(kids.get(m.id) ?? []));
  }
  const key = parentKey(question);
  const undo: DeletedTurn = { chatId: chat.id, removed: [], moved: [], selected: { ...chat.selected }, key };
  chat.messages.forEach((message, index) => {
    if (doomed.has(message.id)) undo.removed.push({ index, message });
  });
  for (const m of keep) {
    undo.moved.push({ id: m.id, parentId: m.parentId! });
    if (question.parentId === undefined) delete m.parentId;
    else m.parentId = question.parentId;
  }
  const continuation = keep.size ? chosen([...keep], chat.selected[shown!.id]) : undefined;
  chat.messages = chat.messages.filter((m) => !doomed.has(m.id));
  for (const k of Object.keys(chat.selected))
    if (doomed.has(k) || doomed.has(chat.selected[k])) delete chat.selected[k];
  if (continuation) chat.selected[key] = continuation.id;
  return undo;
}

/** Puts a deleted turn back exactly as it was (messages, positions, parents, choices). */
export function restoreTurn(chat: StoredChat, undo: DeletedTurn): void {
  const byId = indexById(chat.messages);
  for (const { id, parentId } of undo.moved) {
    const m = byId.get(id);
    if (m) m.parentId = parentId;
  }
  const messages = chat.messages.filter((m) => !undo.removed.some((r) => r.message.id === m.id));
  for (const { index, message } of undo.removed) messages.splice(Math.min(index, messages.length), 0, message);
  chat.messages = messages;
  chat.selected = { ...chat.selected, ...undo.selected };
  if (!(undo.key in undo.selected)) delete chat.selected[undo.key];
}

/**
 * Why these messages do not form a tree, or undefined when they do: ids unique and non-empty, every parent
 * present, no cycle.
 */
export function treeProblem(messages: readonly StoredMessage[]): string | undefined {
  const byId = new Map<string, StoredMessage>();
  for (const m of messages) {
    if (!m.id) return 'a message has an empty id';
    if (byId.has(m.id)) return `two messages have the id ${JSON.stringify(m.id)}`;
    byId.set(m.id, m);
  }
  const ok = new Set<string>();
  for (const m of messages) {
    const trail = new Set<string>();
    let cur: StoredMessage | undefined = m;
    while (cur && !ok.has(cur.id)) {
      if (trail.has(cur.id)) return 'the messages loop back on themselves';
      trail.add(cur.id);
      if (cur.parentId === undefined) break;
      const parent = byId.get(cur.parentId);
      if (!parent) return `a message follows a missing message ${JSON.stringify(cur.parentId)}`;
      cur = parent;
    }
    for (const id of trail) ok.add(id);
  }
  return undefined;
}

/**
 * Makes `messages` a tree again after a merge of two windows' writes: a message whose parent is gone (deleted in
 * the other window) follows the nearest ancestor of the other role that is still there, found through
 * `formerParent` (this window's view of the tree before the merge), else becomes a first message; a cycle is cut
 * at a first message.
 */
export function repairTree(messages: StoredMessage[], formerParent: (id: string) => string | undefined): void {
  const byId = indexById(messages);
  for (const m of messages) {
    if (m.parentId === undefined || byId.has(m.parentId)) continue;
    // Questions follow answers and answers follow questions: skip ancestors of the same role.
    const seen = new Set<string>();
    let p: string | undefined = m.parentId;
    while (p !== undefined && !seen.has(p) && (!byId.has(p) || byId.get(p)!.role === m.role)) {
      seen.add(p);
      p = byId.get(p)?.parentId ?? formerParent(p);
    }
    if (p !== undefined && byId.has(p) && byId.get(p)!.role !== m.role) m.parentId = p;
    else delete m.parentId;
  }
  const ok = new Set<string>();
  for (const m of messages) {
    const trail = new Set<string>();
    let cur: StoredMessage | undefined = m;
    while (cur && !ok.has(cur.id)) {
      trail.add(cur.id);
      const parent: StoredMessage | undefined = cur.parentId === undefined ? undefined : byId.get(cur.parentId);
      if (parent && trail.has(parent.id)) {
        delete cur.parentId;
        break;
      }
      cur = parent;
    }
    for (const id of trail) ok.add(id);
  }
}
