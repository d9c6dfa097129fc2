import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { newChat, toSnapshot, toSummary, type StoredChat, type StoredMessage } from '../../../src/chat/conversation';
import {
  activePath,
  addChild,
  branchInfo,
  branchOf,
  childIndex,
  deleteTurn,
  pathFrom,
  pathTo,
  repairTree,
  restoreTurn,
  ROOT,
  selectPathTo,
  switchSibling,
  treeProblem,
} from '../../../src/chat/tree';

let clock = 0;
const msg = (id: string, role: 'user' | 'assistant', parentId?: string): StoredMessage => {
  const m: StoredMessage = { id, role, content: id, status: 'complete', createdAt: ++clock };
  if (parentId !== undefined) m.parentId = parentId;
  return m;
};
const ids = (chat: StoredChat) => activePath(chat).map((m) => m.id);

/** q1 → a1 → q2 → a2, with q2' (an edit of q2) → a2' and a1' (a regeneration of a1). */
function branched(): StoredChat {
  const chat = newChat('c', 0);
  chat.messages.push(
    msg('q1', 'user'),
    msg('a1', 'assistant', 'q1'),
    msg('q2', 'user', 'a1'),
    msg('a2', 'assistant', 'q2'),
    msg('q2e', 'user', 'a1'),
    msg('a2e', 'assistant', 'q2e'),
    msg('a1r', 'assistant', 'q1'),
  );
  return chat;
}

describe('tree of branches', () => {
  it('the active path takes the newest child where nothing is chosen, else the chosen one', () => {
    const chat = branched();
    assert.deepEqual(ids(chat), ['q1', 'a1r']);
    chat.selected.q1 = 'a1';
    assert.deepEqual(ids(chat), ['q1', 'a1', 'q2e', 'a2e']);
    chat.selected.a1 = 'q2';
    assert.deepEqual(ids(chat), ['q1', 'a1', 'q2', 'a2']);
    chat.selected.a1 = 'gone';
    assert.deepEqual(ids(chat), ['q1', 'a1', 'q2e', 'a2e'], 'a choice of a missing message falls back to the newest');
  });

  it('switching a sibling and selecting a path to any message', () => {
    const chat = branched();
    assert.equal(switchSibling(chat, 'a1r', 0), 'q1');
    assert.deepEqual(ids(chat), ['q1', 'a1', 'q2e', 'a2e']);
    assert.equal(switchSibling(chat, 'q2e', 5), undefined, 'no sixth sibling');
    assert.equal(switchSibling(chat, 'nope', 0), undefined);
    chat.selected.q1 = 'a1r';
    assert.ok(selectPathTo(chat, 'a2'));
    assert.deepEqual(ids(chat), ['q1', 'a1', 'q2', 'a2']);
    assert.equal(selectPathTo(chat, 'nope'), false);
  });

  it('views carry the branch position; the summary counts the path', () => {
    const chat = branched();
    chat.selected.q1 = 'a1';
    const views = toSnapshot(chat).messages;
    assert.deepEqual(
      views.map((v) => [v.id, v.branch]),
      [
        ['q1', undefined],
        ['a1', { index: 0, count: 2 }],
        ['q2e', { index: 1, count: 2 }],
        ['a2e', undefined],
      ],
    );
    assert.ok(
      views.every((v) => !('parentId' in v)),
      'the view never sees the tree links',
    );
    assert.equal(toSummary(chat).messageCount, 4);
  });

  it('addChild shows the new message', () => {
    const chat = newChat('c', 0);
    addChild(chat, undefined, msg('q', 'user'));
    addChild(chat, chat.messages[0], msg('a', 'assistant'));
    assert.equal(chat.messages[1].parentId, 'q');
    addChild(chat, chat.messages[0], msg('b', 'assistant'));
    chat.selected.q = 'a';
    addChild(chat, chat.messages[0], msg('c', 'assistant'));
    assert.deepEqual(ids(chat), ['q', 'c']);
  });

  it('deleting a turn keeps the continuation of the answer on screen and undo restores everything', () => {
    const chat = branched();
    chat.selected.q1 = 'a1';
    chat.selected.a1 = 'q2';
    const before = JSON.parse(JSON.stringify(chat));
    const undo = deleteTurn(chat, 'q2')!;
    assert.deepEqual(
      undo.removed.map((r) => r.message.id),
      ['q2', 'a2'],
    );
    assert.deepEqual(ids(chat), ['q1', 'a1', 'q2e', 'a2e']);
    restoreTurn(chat, undo);
    assert.deepEqual(JSON.parse(JSON.stringify(chat)), before);

    // The first question: its answers go, the continuation after the shown answer becomes the start.
    const undo1 = deleteTurn(chat, 'q1')!;
    assert.deepEqual(undo1.removed.map((r) => r.message.id).sort(), ['a1r', 'q1', 'a1'].sort());
    assert.deepEqual(ids(chat), ['q2', 'a2']);
    assert.equal(treeProblem(chat.messages), undefined);
    assert.ok(chat.messages.every((m) => m.id !== 'q1' && m.parentId !== 'a1'));
    restoreTurn(chat, undo1);
    assert.deepEqual(JSON.parse(JSON.stringify(chat)), before);
    assert.equal(deleteTurn(chat, 'a1'), undefined, 'a turn is deleted by its question');
  });

  it('treeProblem names duplicates, missing parents and loops', () => {
    assert.equal(treeProblem(branched().messages), undefined);
    assert.match(treeProblem([msg('x', 'user'), msg('x', 'assistant')])!, /two messages have the id "x"/);
    assert.match(treeProblem([msg('x', 'user', 'ghost')])!, /missing message "ghost"/);
    assert.match(treeProblem([msg('x', 'user', 'y'), msg('y', 'assistant', 'x')])!, /loop/);
    assert.match(treeProblem([msg('', 'user')])!, /empty id/);
  });

  it('repairTree re-attaches a message whose parent another window deleted to the nearest ancestor of the other role', () => {
    const former = new Map<string, string | undefined>([
      ['a1', 'q1'],
      ['q2', 'a1'],
      ['a2', 'q2'],
    ]);
    // q2 and a2 were deleted elsewhere; q3 (added here after a2) must follow a1, not q1.
    const messages = [msg('q1', 'user'), msg('a1', 'assistant', 'q1'), msg('q3', 'user', 'a2')];
    repairTree(messages, (id) => former.get(id));
    assert.equal(messages[2].parentId, 'a1');
    const loop = [msg('x', 'user', 'y'), msg('y', 'assistant', 'x')];
    repairTree(loop, () => undefined);
    assert.equal(treeProblem(loop), undefined);
    const orphan = [msg('z', 'assistant', 'gone')];
    repairTree(orphan, () => undefined);
    assert.equal(orphan[0].parentId, undefined);
  });

  it("the active path and a message's branch are those of the index of every child list, for any tree and choices", () => {
    // Each message follows an earlier one (or none); choices name any id, a child's or not, or nothing.
    const tree = fc.integer({ min: 0, max: 40 }).chain((n) =>
      fc.record({
        parents: fc.array(fc.nat(), { minLength: n, maxLength: n }),
        choices: fc.array(fc.tuple(fc.integer({ min: -1, max: n }), fc.integer({ min: 0, max: n + 2 })), {
          maxLength: n + 2,
        }),
      }),
    );
    fc.assert(
      fc.property(tree, ({ parents, choices }) => {
        const chat = newChat('c', 0);
        parents.forEach((p, i) => {
          const parent = p % (i + 1); // i: a first message; below i: an earlier message
          chat.messages.push(msg(`m${i}`, i % 2 ? 'assistant' : 'user', parent === i ? undefined : `m${parent}`));
        });
        for (const [key, id] of choices) chat.selected[key < 0 ? ROOT : `m${key}`] = `m${id}`;
        const kids = childIndex(chat.messages);
        const careful = pathFrom(chat, kids, ROOT).map((m) => m.id);
        assert.deepEqual(ids(chat), careful);
        for (const m of chat.messages) {
          assert.deepEqual(branchOf(chat.messages, m), branchInfo(kids, m), m.id);
          // The way to a message follows its parents from a first message.
          const way = pathTo(chat, m);
          assert.equal(way[0].parentId, undefined);
          assert.equal(way[way.length - 1], m);
          way.slice(1).forEach((x, i) => assert.equal(x.parentId, way[i].id));
        }
        const path = activePath(chat);
        if (path.length) assert.deepEqual(pathTo(chat, path[path.length - 1]), path);
      }),
      { numRuns: 500 },
    );
  });

  it('stops on repeated ids instead of walking in a circle', () => {
    const chat = newChat('c', 0);
    chat.messages.push(msg('a', 'user'), msg('a', 'assistant', 'a'));
    assert.deepEqual(ids(chat), ['a']);
  });
});
