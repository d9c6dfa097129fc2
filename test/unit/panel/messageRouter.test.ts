// The validation table of webview messages: every type has a validator that keeps exactly its own fields.
import * as assert from 'node:assert/strict';
import type { WebviewMessage, WebviewMessageOf } from '../../../src/protocol';
import { parseWebviewMessage, WEBVIEW_MESSAGE_VALIDATORS } from '../../../src/panel/messageRouter';

/** One well-formed message per type; typed like the table, so a new message type needs a sample here too. */
const SAMPLES: { [K in WebviewMessage['type']]: WebviewMessageOf<K> } = {
  ready: { type: 'ready' },
  send: { type: 'send', text: 'hi', attachCurrentFile: true },
  mentionQuery: { type: 'mentionQuery', requestId: 3, query: 'mat' },
  attachMention: { type: 'attachMention', id: 'path:src/math.ts' },
  attachUris: { type: 'attachUris', uris: ['file:///w/a.ts', 'vscode-remote://h/w/b.ts'] },
  stop: { type: 'stop' },
  retry: { type: 'retry' },
  newChat: { type: 'newChat' },
  switchChat: { type: 'switchChat', chatId: 'c1' },
  renameChat: { type: 'renameChat', chatId: 'c1', title: 'T' },
  deleteChat: { type: 'deleteChat', chatId: 'c1' },
  editMessage: { type: 'editMessage', id: 'm1', text: 'new text' },
  regenerate: { type: 'regenerate', id: 'm2' },
  switchBranch: { type: 'switchBranch', id: 'm2', index: 1 },
  deleteTurn: { type: 'deleteTurn', id: 'm1' },
  copyMessage: { type: 'copyMessage', id: 'm2' },
  exportChat: { type: 'exportChat', chatId: 'c1' },
  importChat: { type: 'importChat' },
  searchChats: { type: 'searchChats', query: 'parse csv', seq: 3 },
  openSearchHit: { type: 'openSearchHit', chatId: 'c1', messageId: 'm1' },
  action: { type: 'action', action: 'retry' },
  openLink: { type: 'openLink', href: 'https://example.com' },
  openContext: { type: 'openContext', uri: 'file:///a', startLine: 1, endLine: 3 },
  removePendingContext: { type: 'removePendingContext', index: 0 },
  copyCode: { type: 'copyCode', code: 'x' },
  insertCode: { type: 'insertCode', code: 'x' },
  openCodeInEditor: { type: 'openCodeInEditor', code: 'x', language: 'ts' },
  continueAnswer: { type: 'continueAnswer', id: 'm1' },
  undoCondense: { type: 'undoCondense' },
  draft: { type: 'draft', text: 'a draft' },
  toolApprovalAnswer: { type: 'toolApprovalAnswer', callId: 'call_1', answer: 'always' },
  log: { type: 'log', level: 'warn', text: 'w' },
};

describe('webview message validation table', () => {
  it('accepts only the three answers to a tool approval', () => {
    for (const answer of ['once', 'always', 'deny'])
      assert.ok(parseWebviewMessage({ type: 'toolApprovalAnswer', callId: 'c', answer }), answer);
    for (const answer of ['yes', 'Always', '', null])
      assert.equal(parseWebviewMessage({ type: 'toolApprovalAnswer', callId: 'c', answer }), undefined, String(answer));
  });

  it('keeps # picker queries short and refuses oversized drops', () => {
    const long = parseWebviewMessage({ type: 'mentionQuery', requestId: 1, query: 'x'.repeat(10_000) });
    assert.equal(long?.type === 'mentionQuery' && long.query.length, 500);
    assert.equal(parseWebviewMessage({ type: 'attachUris', uris: Array(501).fill('file:///a') }), undefined);
    assert.equal(parseWebviewMessage({ type: 'attachUris', uris: ['file:///a', 7] }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'send', text: 'hi' }), { type: 'send', text: 'hi' });
  });

  it('has exactly one validator per message type', () => {
    assert.deepEqual(Object.keys(WEBVIEW_MESSAGE_VALIDATORS).sort(), Object.keys(SAMPLES).sort());
  });

  it('passes every well-formed message through unchanged and drops unknown fields', () => {
    for (const sample of Object.values(SAMPLES)) {
      assert.deepEqual(parseWebviewMessage(sample), sample, sample.type);
      assert.deepEqual(parseWebviewMessage({ ...sample, extra: 'dropped', __proto__: { x: 1 } }), sample, sample.type);
    }
  });

  it('rejects a message when any of its fields has the wrong type', () => {
    for (const sample of Object.values(SAMPLES)) {
      for (const field of Object.keys(sample).filter((k) => k !== 'type' && k !== 'language')) {
        const bad = { ...sample, [field]: { wrong: true } };
        assert.equal(parseWebviewMessage(bad), undefined, `${sample.type}.${field}`);
      }
    }
  });

  it('ignores names that only exist on the prototype', () => {
    for (const type of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      assert.equal(parseWebviewMessage({ type }), undefined, type);
    }
  });
});
