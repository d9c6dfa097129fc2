// A model answer over the per-message limit must not make every later message of the chat fail validation
// (found by test/e2e/security.e2e.ts: after a 1,000,026-character answer every send failed with
// "Message 19 (assistant) has 1,000,026 characters … Shorten it").
import * as assert from 'node:assert/strict';
import { apiMessagesFor, fitForRequest, MAX_CONTENT_CHARS, type StoredMessage } from '../../../src/chat/conversation';
import type { ChatMessage } from '../../../src/api/types';
import { validateParams } from '../../../src/api/validate';

const msg = (
  id: string,
  role: 'user' | 'assistant',
  content: string,
  status: StoredMessage['status'] = 'complete',
): StoredMessage => ({ id, role, content, status, createdAt: 0 });

/** Every message of the history as sent (the context window is another test's concern). */
function buildRequestMessages(history: StoredMessage[], o: { systemPrompt: string }): { messages: ChatMessage[] } {
  return { messages: [{ role: 'system', content: o.systemPrompt }, ...history.flatMap(apiMessagesFor)] };
}

describe('request messages fit the per-message limit', () => {
  it('a complete answer over the limit is sent cut with a note, and the request validates', () => {
    const huge = 'a'.repeat(MAX_CONTENT_CHARS + 26);
    const built = buildRequestMessages([msg('1', 'user', 'q'), msg('2', 'assistant', huge), msg('3', 'user', 'next')], {
      systemPrompt: 's',
    });
    const answer = built.messages[2].content as string;
    assert.equal(answer.length, MAX_CONTENT_CHARS);
    assert.match(answer, /\[Truncated for this request: the message is 1,000,026 characters long\.\]$/);
    assert.doesNotThrow(() => validateParams({ model: 'm', messages: built.messages }));
  });

  it('a stopped answer over the limit keeps its cut-off marker within the limit', () => {
    const built = buildRequestMessages(
      [msg('1', 'user', 'q'), msg('2', 'assistant', 'b'.repeat(MAX_CONTENT_CHARS), 'stopped'), msg('3', 'user', 'n')],
      { systemPrompt: 's' },
    );
    const answer = built.messages[2].content as string;
    assert.ok(answer.length <= MAX_CONTENT_CHARS, String(answer.length));
    assert.match(answer, /Truncated for this request[\s\S]*the user stopped it/);
  });

  it('leaves text within the limit untouched', () => {
    assert.equal(fitForRequest('short'), 'short');
    const exact = 'c'.repeat(MAX_CONTENT_CHARS);
    assert.equal(fitForRequest(exact), exact);
  });
});
