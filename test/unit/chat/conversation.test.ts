import * as assert from 'node:assert/strict';
import {
  apiMessagesFor,
  checkContentLimit,
  continuationMessages,
  mergeContinuation,
  toView,
  type StoredMessage,
} from '../../../src/chat/conversation';
import { ContextPlanner } from '../../../src/chat/contextPlan';
import { TokenCounter } from '../../../src/context/counter';
import { ContextLimits } from '../../../src/context/limits';

const budget = new ContextLimits().budget('http://x', 'm', { contextWindow: 10_000_000 });
const plan = (history: StoredMessage[]) =>
  new ContextPlanner(new TokenCounter()).fit({ history, systemPrompt: 'SYS', budget });

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
    const r = plan([user('hi')]);
    assert.ok(r.ok);
    assert.deepEqual(r.messages, [
      { role: 'system', content: 'SYS' },
      { role: 'user', content: 'hi' },
    ]);
    assert.equal(r.omitted.count, 0);
    assert.equal('apiMessages' in toView(answer('x', 'complete', { apiMessages: [] })), false);
  });

  it('at 1,000 messages the oldest exchanges are left out, whole, and the system prompt is kept', () => {
    const history: StoredMessage[] = [];
    for (let i = 0; i < 600; i++) history.push(user(`q${i}`), answer(`a${i}`));
    history.push(user('last'));
    const r = plan(history);
    assert.ok(r.ok);
    assert.equal(r.messages.length, 1000);
    assert.equal(r.messages[0].content, 'SYS');
    assert.equal(r.messages[1].role, 'user', 'starts with a user message after the system prompt');
    assert.equal(r.messages.at(-1)!.content, 'last');
    assert.equal(r.omitted.count, 202);
  });

  it('answers that ended early are marked for later turns, but Continue sees the answer as written', () => {
    const cut = answer('Part one', 'complete', { finish: 'length' });
    assert.match(apiMessagesFor(cut)[0].content!, /^Part one\n\n\[This answer was cut off at the token limit/);
    assert.deepEqual(continuationMessages(cut), [{ role: 'assistant', content: 'Part one' }]);
    const filtered = answer('Some', 'complete', { finish: 'content_filter' });
    assert.match(
      apiMessagesFor(filtered)[0].content!,
      /^Some\n\n\[This answer is incomplete: the server's content filter/,
    );
  });

  it('a continuation joins the partial answer; its tool rounds follow', () => {
    const call = { id: 'c', type: 'function' as const, function: { name: 'read_file', arguments: '{}' } };
    assert.deepEqual(
      mergeContinuation([{ role: 'assistant', content: 'The list: a, ' }], [{ role: 'assistant', content: 'b, c.' }]),
      [{ role: 'assistant', content: 'The list: a, b, c.' }],
    );
    assert.deepEqual(
      mergeContinuation(
        [{ role: 'assistant', content: 'Reading ' }],
        [
          { role: 'assistant', content: 'it.', tool_calls: [call] },
          { role: 'tool', tool_call_id: 'c', content: 'x' },
          { role: 'assistant', content: 'Done.' },
        ],
      ).map((m) => m.content),
      ['Reading it.', 'x', 'Done.'],
    );
  });

  it('refuses a message over 1,000,000 characters with a sentence saying why', () => {
    assert.equal(checkContentLimit('x'.repeat(1_000_000)), undefined);
    const why = checkContentLimit('x'.repeat(1_000_001));
    assert.match(
      why!,
      /1,000,001 characters long; the server accepts at most 1,000,000 characters per message, so nothing was sent/,
    );
  });
});
