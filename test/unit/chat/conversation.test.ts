import * as assert from 'node:assert/strict';
import {
  apiMessagesFor,
  buildRequestMessages,
  checkContentLimit,
  omittedNotice,
  toView,
  type StoredMessage,
} from '../../../src/chat/conversation';

let n = 0;
const user = (content: string): StoredMessage => ({
  id: `u${n++}`,
  role: 'user',
  content,
  status: 'complete',
  createdAt: n,
});
const answer = (
  content: string,
  status: StoredMessage['status'] = 'complete',
  extra: Partial<StoredMessage> = {},
): StoredMessage => ({ id: `a${n++}`, role: 'assistant', content, status, createdAt: n, ...extra });

describe('conversation: what goes back to the model', () => {
  it('complete answers go back as they were, with their tool rounds', () => {
    const api = [
      {
        role: 'assistant' as const,
        content: null,
        tool_calls: [{ id: 'c1', type: 'function' as const, function: { name: 'read_file', arguments: '{}' } }],
      },
      { role: 'tool' as const, content: 'file text', tool_call_id: 'c1' },
      { role: 'assistant' as const, content: 'Done.', reasoning_content: 'thinking' },
    ];
    const out = apiMessagesFor(answer('Done.', 'complete', { apiMessages: api }));
    assert.equal(out.length, 3);
    assert.equal(out[1].tool_call_id, 'c1');
    assert.equal(out[2].reasoning_content, undefined, 'reasoning is never sent back');
    assert.deepEqual(apiMessagesFor(answer('Plain')), [{ role: 'assistant', content: 'Plain' }]);
  });

  it('stopped, failed and interrupted answers are sent marked as incomplete; empty ones as a "no answer" note', () => {
    assert.match(
      apiMessagesFor(answer('Half', 'stopped'))[0].content!,
      /^Half\n\n\[This answer is incomplete: the user stopped it/,
    );
    assert.match(apiMessagesFor(answer('Half', 'error'))[0].content!, /request failed/);
    assert.match(apiMessagesFor(answer('Half', 'interrupted'))[0].content!, /window closed/);
    assert.deepEqual(apiMessagesFor(answer('', 'error')), [
      { role: 'assistant', content: '[No answer: the request failed before any text arrived.]' },
    ]);
    assert.match(apiMessagesFor(answer(' ', 'stopped'))[0].content!, /^\[No answer: the user stopped it/);
    assert.deepEqual(apiMessagesFor(answer('x', 'streaming')), []);
  });

  it('user messages carry their code contexts', () => {
    const m = user('Why?');
    m.contexts = [{ path: 'a.ts', uri: 'file:///a.ts', language: 'ts', startLine: 1, endLine: 2, text: 'x' }];
    assert.match(apiMessagesFor(m)[0].content!, /^From `a\.ts`, lines 1-2 \(ts\):/);
  });

  it('the system prompt comes first and the view never sees API messages', () => {
    const built = buildRequestMessages([user('hi')], { systemPrompt: 'SYS' });
    assert.deepEqual(built.messages, [
      { role: 'system', content: 'SYS' },
      { role: 'user', content: 'hi' },
    ]);
    assert.equal(built.omitted, 0);
    assert.equal('apiMessages' in toView(answer('x', 'complete', { apiMessages: [] })), false);
  });

  it('at 1,000 messages the oldest exchanges are left out, whole, and the system prompt is kept', () => {
    const history: StoredMessage[] = [];
    for (let i = 0; i < 600; i++) history.push(user(`q${i}`), answer(`a${i}`));
    history.push(user('last'));
    const built = buildRequestMessages(history, { systemPrompt: 'SYS', maxMessages: 1000 });
    assert.equal(built.messages.length, 1000);
    assert.equal(built.messages[0].content, 'SYS');
    assert.equal(built.messages[1].role, 'user', 'starts with a user message after the system prompt');
    assert.equal(built.messages.at(-1)!.content, 'last');
    assert.equal(built.omitted, 202);
  });

  it('keeps room for the tool loop', () => {
    const history: StoredMessage[] = [];
    for (let i = 0; i < 500; i++) history.push(user(`q${i}`), answer(`a${i}`));
    history.push(user('last'));
    const built = buildRequestMessages(history, { systemPrompt: 'S', maxMessages: 1000, reserve: 64 });
    assert.ok(built.messages.length <= 936);
  });

  it('refuses a message over 1,000,000 characters with a sentence saying why', () => {
    assert.equal(checkContentLimit('x'.repeat(1_000_000)), undefined);
    const why = checkContentLimit('x'.repeat(1_000_001));
    assert.match(
      why!,
      /1,000,001 characters long; the server accepts at most 1,000,000 characters per message, so nothing was sent/,
    );
    assert.match(
      omittedNotice(3, 1001),
      /oldest 3 messages were left out of what was sent \(the system prompt is always kept\)\. Start a New Chat/,
    );
  });
});
