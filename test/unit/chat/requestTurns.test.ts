import * as assert from 'node:assert/strict';
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
});
