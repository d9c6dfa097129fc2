import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { StoredMessage } from '../../../src/chat/conversation';
import { RequestTurns, turnIndexOf } from '../../../src/chat/requestTurns';
import { TokenCounter } from '../../../src/context/counter';

const user = (id: string, content: string, extra: Partial<StoredMessage> = {}): StoredMessage => ({
  id,
  role: 'user',
  content,
  status: 'complete',
  createdAt: 0,
  ...extra,
});
const answer = (id: string, content: string, extra: Partial<StoredMessage> = {}): StoredMessage => ({
  id,
  role: 'assistant',
  content,
  status: 'complete',
  createdAt: 0,
  ...extra,
});

describe('chat: the history as turns for the fitter', () => {
  it('groups each user message with the answers after it, with the attached code counted apart', () => {
    const counted: string[] = [];
    const rt = new RequestTurns(
      new TokenCounter(() => ({
        name: 'w',
        count: (t) => {
          counted.push(t);
          return t.split(/\s+/).length;
        },
      })),
    );
    const ctx = { path: 'a.ts', uri: 'file:///a.ts', language: 'ts', startLine: 1, endLine: 2, text: 'let a = 1;' };
    const history = [
      user('u1', 'explain', { contexts: [ctx] }),
      answer('a1', 'It sets a.', {
        apiMessages: [
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'read_file', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 'c', content: 'x' },
          { role: 'assistant', content: 'It sets a.' },
        ],
      }),
      user('u2', 'and?'),
      answer('a2', '', { status: 'error' }),
      user('u3', 'again'),
    ];
    const turns = rt.turns(history);
    assert.deepEqual(
      turns.map((t) => t.ids),
      [['u1', 'a1'], ['u2', 'a2'], ['u3']],
    );
    assert.deepEqual(
      turns[0].messages.map((m) => m.role),
      ['user', 'assistant', 'tool', 'assistant'],
    );
    assert.match(turns[0].messages[0].content!, /^From `a\.ts`, lines 1-2 \(ts\):[\s\S]*explain$/);
    assert.ok(turns[0].attachmentTokens! > 0);
    assert.deepEqual(
      turns[1].messages.map((m) => [m.role, m.content]),
      [
        ['user', 'and?'],
        ['assistant', '[No answer: the request failed before any text arrived.]'],
      ],
      'a failed answer without text is sent as a short note, so questions and answers alternate',
    );
    assert.equal(turnIndexOf(turns, 'a2'), 1);
    assert.equal(turnIndexOf(turns, 'nope'), -1);
    // Built once: the same objects on the next call, nothing counted again.
    const n = counted.length;
    const again = rt.turns(history);
    assert.equal(again[0].messages[0], turns[0].messages[0]);
    assert.equal(counted.length, n);
  });

  it('a message that grows or changes status is built again', () => {
    const rt = new RequestTurns(new TokenCounter());
    const a = answer('a', 'Part', { status: 'streaming' });
    assert.deepEqual(rt.apiMessages(a), []);
    a.content = 'Part one';
    a.status = 'stopped';
    assert.match(rt.apiMessages(a)[0].content!, /^Part one\n\n\[This answer is incomplete/);
    a.status = 'complete';
    assert.equal(rt.apiMessages(a)[0].content, 'Part one');
  });

  it('answers before any user message form their own turn', () => {
    const rt = new RequestTurns(new TokenCounter());
    assert.deepEqual(
      rt.turns([answer('a0', 'hello'), user('u1', 'hi')]).map((t) => t.ids),
      [['a0'], ['u1']],
    );
  });

  it('a turn whose messages are unchanged is the same object on the next call; the one that changed is new', () => {
    const rt = new RequestTurns(new TokenCounter());
    const history = [user('u1', 'one'), answer('a1', 'first'), user('u2', 'two'), answer('a2', 'sec')];
    const before = rt.turns(history);
    history[3].content = 'second'; // the newest answer grew (streaming)
    const after = rt.turns([...history, user('u3', 'three')]);
    assert.equal(after[0], before[0]);
    assert.notEqual(after[1], before[1]);
    assert.deepEqual(
      after[1].messages.map((m) => m.content),
      ['two', 'second'],
    );
    assert.deepEqual(after[2].ids, ['u3']);
  });

  it('(property) kept turns always equal turns built afresh, whatever the history went through', () => {
    // Steps on a history: append a message, grow or restatus one, replace one by a copy, cut the end (another
    // branch), or drop one from the middle (a deleted turn).
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('append' as const),
        role: fc.constantFrom('user', 'assistant'),
        text: fc.string(),
      }),
      fc.record({ kind: fc.constant('grow' as const), at: fc.nat(), text: fc.string({ minLength: 1 }) }),
      fc.record({
        kind: fc.constant('status' as const),
        at: fc.nat(),
        status: fc.constantFrom('complete', 'stopped', 'error'),
      }),
      fc.record({ kind: fc.constant('copy' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const kept = new RequestTurns(new TokenCounter());
        let history: StoredMessage[] = [];
        let n = 0;
        for (const s of steps) {
          const i = 'at' in s && history.length ? s.at % history.length : -1;
          if (s.kind === 'append') {
            const id = `m${n++}`;
            history.push(s.role === 'user' ? user(id, s.text) : answer(id, s.text));
          } else if (i < 0) continue;
          else if (s.kind === 'grow') history[i].content += s.text;
          else if (s.kind === 'status') history[i].status = s.status;
          else if (s.kind === 'copy') history[i] = { ...history[i] };
          else if (s.kind === 'cut') history = history.slice(0, i);
          else history.splice(i, 1);
          const got = kept.turns(history);
          const fresh = new RequestTurns(new TokenCounter()).turns(history);
          assert.deepEqual(got, fresh);
        }
      }),
    );
  });
});
