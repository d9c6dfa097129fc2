import * as assert from 'node:assert/strict';
import {
  buildSystemPrompt,
  buildUserContent,
  contextLabel,
  DEFAULT_SYSTEM_PROMPT,
  EXPLAIN_INSTRUCTION,
  fenceFor,
  formatContext,
  titleFrom,
} from '../../../src/chat/prompts';
import type { CodeContext } from '../../../src/protocol';

const ctx = (text: string, over: Partial<CodeContext> = {}): CodeContext => ({
  path: 'src/util/math.ts',
  uri: 'file:///w/src/util/math.ts',
  language: 'typescript',
  startLine: 3,
  endLine: 9,
  text,
  ...over,
});

describe('prompts', () => {
  it('fences code with more backticks than any run inside it', () => {
    assert.equal(fenceFor('plain'), '```');
    assert.equal(fenceFor('a ``` b'), '````');
    assert.equal(fenceFor('x ````` y ``'), '``````');
  });

  it('formats a context with path, line range and language, and the code survives a ``` inside it', () => {
    const code = 'const md = "```js\\nalert(1)\\n```";';
    const out = formatContext(ctx(code));
    assert.match(out, /^From `src\/util\/math\.ts`, lines 3-9 \(typescript\):/);
    assert.ok(out.includes('````typescript\n' + code + '\n````'));
    // The code block is closed only by the final fence: no line inside it is a 4-backtick fence.
    const body = out.split('\n').slice(3, -1);
    assert.ok(body.every((l) => !/^````/.test(l)));
  });

  it('one line is "line N"', () => {
    assert.match(formatContext(ctx('x', { startLine: 5, endLine: 5 })), /line 5 \(/);
  });

  it('a message without contexts is sent exactly as typed; with contexts the code comes first', () => {
    assert.equal(buildUserContent('  hi  '), '  hi  ');
    const out = buildUserContent('Why?', [ctx('a()')]);
    assert.ok(out.startsWith('From `src/util/math.ts`'));
    assert.ok(out.endsWith('\n\nWhy?'));
  });

  it('drops an unsafe language id from the fence info string', () => {
    const out = formatContext(ctx('x', { language: 'evil lang\n```' }));
    assert.ok(out.includes('\n```\nx\n```'));
  });

  it('system prompt: default plus the user setting', () => {
    assert.equal(buildSystemPrompt(''), DEFAULT_SYSTEM_PROMPT);
    assert.equal(buildSystemPrompt('  Answer in French. '), `${DEFAULT_SYSTEM_PROMPT}\n\nAnswer in French.`);
  });

  it('titles come from the first user message, shortened', () => {
    assert.equal(titleFrom('  How do I\n  sort a map?  '), 'How do I sort a map?');
    assert.equal(titleFrom('x'.repeat(100)).length, 60);
    assert.equal(titleFrom(EXPLAIN_INSTRUCTION, [ctx('a')]), 'Explain math.ts:3-9');
    assert.equal(titleFrom('', []), 'New chat');
    assert.equal(contextLabel(ctx('a', { startLine: 2, endLine: 2 })), 'math.ts:2');
  });
});
