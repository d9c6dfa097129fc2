import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { exportFileName, exportJson, exportMarkdown, importJson } from '../../../src/chat/chatExport';
import { newChat, STORE_VERSION, type StoredChat, type StoredMessage } from '../../../src/chat/conversation';
import { parseChat, serializeChat } from '../../../src/chat/historyStore';
import { activePath, addChild, treeProblem } from '../../../src/chat/tree';
import { itHolds } from '../fuzz/property';

const KEY = 'sk-export-secret-0123456789abcdef';

const text = fc.string({ maxLength: 40 });
const messageArb = fc.record(
  {
    role: fc.constantFrom('user' as const, 'assistant' as const),
    content: fc.oneof(text, fc.constant('```ts\nconst x = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |')),
    status: fc.constantFrom('complete' as const, 'stopped' as const, 'error' as const, 'interrupted' as const),
    createdAt: fc.nat(),
    contexts: fc.array(
      fc.record({
        path: text,
        uri: text,
        language: fc.constantFrom('ts', 'python', ''),
        startLine: fc.nat(),
        endLine: fc.nat(),
        text,
      }),
      { maxLength: 2 },
    ),
    toolCalls: fc.array(
      fc.record({
        id: text,
        name: fc.constantFrom('read_file', 'search_text'),
        argsText: fc.constantFrom('{"path":"src/a.ts"}', '{}', 'not json'),
        state: fc.constantFrom('done' as const, 'error' as const, 'cancelled' as const),
        summary: text,
        durationMs: fc.nat(),
      }),
      { maxLength: 2 },
    ),
    usage: fc.record({ prompt_tokens: fc.nat(), completion_tokens: fc.nat(), total_tokens: fc.nat() }),
    model: text,
    note: text,
    reasoning: text,
    apiMessages: fc.array(
      fc.oneof(
        fc.record({ role: fc.constant('assistant' as const), content: text }),
        fc.record({ role: fc.constant('tool' as const), content: text, tool_call_id: text }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  },
  { requiredKeys: ['role', 'content', 'status', 'createdAt'] },
);

/** A chat with branches: each message follows a random earlier one (or starts the chat); random branch choices. */
const chatArb = fc
  .record({
    title: text,
    messages: fc.array(fc.tuple(messageArb, fc.nat(), fc.boolean()), { minLength: 1, maxLength: 12 }),
    updatedAt: fc.nat({ max: 2_000_000_000_000 }),
  })
  .map(({ title, messages, updatedAt }) => {
    const chat = newChat('source-chat', 1);
    chat.title = title;
    chat.updatedAt = updatedAt;
    messages.forEach(([m, parent, root], i) => {
      const msg = { ...m, id: `m${i}` } as StoredMessage;
      addChild(chat, root || i === 0 ? undefined : chat.messages[parent % i], msg);
    });
    // What loading gives back: the form every exported chat comes from.
    return parseChat(serializeChat(chat), chat.id) as StoredChat;
  });

const withoutId = (json: string) => {
  const data = JSON.parse(json) as { chat: { id?: string } };
  delete data.chat.id;
  return data;
};

describe('chat export and import', () => {
  itHolds(
    'export: export → import → export gives the same JSON, ids aside, and never the key',
    { numRuns: 200, timeLimitMs: 8000 },
    () =>
      fc.property(chatArb, (chat) => {
        const first = exportJson(chat, KEY);
        const imported = importJson(first, 'imported-1');
        if (typeof imported === 'string') assert.fail(`does not import: ${imported}`);
        const back = imported;
        assert.equal(back.id, 'imported-1');
        assert.equal(treeProblem(back.messages), undefined);
        assert.deepEqual(
          activePath(back).map((m) => m.id),
          activePath(chat).map((m) => m.id),
          'the same branch is shown',
        );
        assert.deepEqual(withoutId(exportJson(back, KEY)), withoutId(first));
      }),
  );

  it('the JSON export holds every branch, attachment, status, usage and tool round, and the summary head is gone', () => {
    const chat = newChat('c1', 1);
    addChild(chat, undefined, {
      id: 'q',
      role: 'user',
      content: 'why?',
      status: 'complete',
      createdAt: 1,
      contexts: [{ path: 'a.ts', uri: 'file:///a.ts', language: 'ts', startLine: 1, endLine: 2, text: 'x' }],
    });
    addChild(chat, chat.messages[0], { id: 'a1', role: 'assistant', content: 'old', status: 'stopped', createdAt: 2 });
    addChild(chat, chat.messages[0], {
      id: 'a2',
      role: 'assistant',
      content: 'new',
      status: 'streaming',
      createdAt: 3,
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
      toolCalls: [{ id: 't', name: 'read_file', argsText: '{}', state: 'running' }],
    });
    const data = JSON.parse(exportJson(chat)) as { format: string; formatVersion: number; chat: StoredChat };
    assert.equal(data.format, 'bud-chat');
    assert.equal(data.formatVersion, 1);
    assert.equal(data.chat.version, STORE_VERSION);
    assert.equal('messageCount' in data.chat, false);
    assert.deepEqual(
      data.chat.messages.map((m) => [m.id, m.parentId, m.status]),
      [
        ['q', undefined, 'complete'],
        ['a1', 'q', 'stopped'],
        ['a2', 'q', 'interrupted'],
      ],
      'a live answer is exported as it would load: interrupted',
    );
    assert.equal(data.chat.messages[2].toolCalls![0].state, 'cancelled');
    assert.deepEqual(data.chat.messages[0].contexts![0].path, 'a.ts');
    assert.deepEqual(data.chat.messages[2].usage, { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
    assert.deepEqual(data.chat.selected, { '': 'q', q: 'a2' });
  });

  it('Markdown: the branch on screen, code fenced, tool calls summarised, statuses noted, never the key', () => {
    const chat = newChat('c2', 1);
    chat.title = 'Parsing CSV';
    chat.updatedAt = Date.UTC(2026, 0, 2, 3, 4);
    addChild(chat, undefined, {
      id: 'q',
      role: 'user',
      content: `Explain this (my key is ${KEY})`,
      status: 'complete',
      createdAt: 1,
      contexts: [
        {
          path: 'src/csv.ts',
          uri: 'file:///src/csv.ts',
          language: 'typescript',
          startLine: 3,
          endLine: 4,
          text: 'a\nb',
        },
      ],
    });
    addChild(chat, chat.messages[0], {
      id: 'a',
      role: 'assistant',
      content: 'It splits lines:\n\n```ts\nline.split(",")\n```',
      status: 'complete',
      createdAt: 2,
      model: 'gpt-x',
      toolCalls: [
        {
          id: 't',
          name: 'read_file',
          argsText: '{"path":"src/csv.ts"}',
          state: 'done',
          summary: '12 lines of src/csv.ts',
        },
      ],
    });
    addChild(chat, chat.messages[0], {
      id: 'b',
      role: 'assistant',
      content: 'Half',
      status: 'error',
      createdAt: 3,
      error: { kind: 'server', message: 'The server had an error (502).', actions: [] },
    });
    chat.selected.q = 'a';
    const md = exportMarkdown(chat, KEY);
    assert.ok(!md.includes(KEY), 'the key is not in the export');
    assert.equal(
      md,
      [
        '# Parsing CSV',
        '',
        '_Exported from Bud Chat. Last updated 2026-01-02 03:04 UTC; 2 messages (the branch on screen; the JSON export keeps every branch)._',
        '',
        '## You',
        '',
        'From `src/csv.ts`, lines 3-4 (typescript):',
        '',
        '```typescript',
        'a',
        'b',
        '```',
        '',
        'Explain this (my key is [redacted])',
        '',
        '## Bud (gpt-x)',
        '',
        'Tools used:',
        '',
        '- `read_file` (path: src/csv.ts) — 12 lines of src/csv.ts (done)',
        '',
        'It splits lines:',
        '',
        '```ts',
        'line.split(",")',
        '```',
        '',
      ].join('\n'),
    );
    chat.selected.q = 'b';
    assert.match(exportMarkdown(chat), /Half\n\n> _Failed: The server had an error \(502\)\._/);
    assert.ok(!exportJson(chat, KEY).includes(KEY));
  });

  it('import refuses what is not a usable export, saying why', () => {
    const good = exportJson(newChat('x', 1));
    assert.match(importJson('{', 'n') as string, /not valid JSON/);
    assert.match(importJson('{"format":"other"}', 'n') as string, /not a Bud Chat JSON export/);
    assert.match(
      importJson(good.replace('"formatVersion": 1', '"formatVersion": 9'), 'n') as string,
      /newer format \(9\)/,
    );
    assert.match(importJson('{"format":"bud-chat","formatVersion":1}', 'n') as string, /holds no chat/);
    const loop = JSON.parse(good) as { chat: StoredChat };
    loop.chat.messages = [
      { id: 'x', role: 'user', content: '', status: 'complete', createdAt: 1, parentId: 'y' },
      { id: 'y', role: 'assistant', content: '', status: 'complete', createdAt: 2, parentId: 'x' },
    ];
    assert.match(importJson(JSON.stringify(loop), 'n') as string, /cannot be used: the messages loop/);
    const bad = JSON.parse(good) as { chat: { messages: unknown[] } };
    bad.chat.messages = [{ id: 'x', role: 'system', content: '', status: 'complete', createdAt: 1 }];
    assert.match(importJson(JSON.stringify(bad), 'n') as string, /message 1 is malformed/);
  });

  it('file names come from the title, safe everywhere', () => {
    assert.equal(exportFileName({ title: 'What is a/b: "x"?' }, 'md'), 'What is a b x.md');
    assert.equal(exportFileName({ title: '  ...  ' }, 'json'), 'chat.json');
  });
});
