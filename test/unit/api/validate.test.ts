// validateParams: each limit and range, with the limit and the value named in the message.
import * as assert from 'node:assert/strict';
import { ValidationError } from '../../../src/api/errors';
import type { ChatCompletionParams, ChatMessage } from '../../../src/api/types';
import { LIMITS, validateParams } from '../../../src/api/validate';
import { basic } from './helpers';

function fails(p: ChatCompletionParams, re: RegExp, param?: string, kind = 'validation'): void {
  assert.throws(
    () => validateParams(p),
    (e: unknown) => {
      assert.ok(e instanceof ValidationError, String(e));
      assert.match(e.message, re);
      if (param) assert.equal(e.param, param);
      assert.equal(e.kind, kind);
      return true;
    },
  );
}

describe('validateParams', () => {
  it('accepts a normal request with every parameter at its limits', () => {
    validateParams(
      basic({
        temperature: 0,
        top_p: 1,
        presence_penalty: -2,
        frequency_penalty: 2,
        max_tokens: 1,
        stop: ['a'],
        user: 'u',
        tool_choice: 'auto',
        tools: [{ type: 'function', function: { name: 'f' } }],
      }),
    );
    validateParams(basic({ temperature: 2, top_p: 0, tool_choice: { type: 'function', function: { name: 'f' } } }));
  });

  it('limits: 1,000 messages accepted, 1,001 refused with both numbers', () => {
    const msgs = (n: number): ChatMessage[] => Array.from({ length: n }, () => ({ role: 'user', content: 'x' }));
    validateParams(basic({ messages: msgs(LIMITS.maxMessages) }));
    fails(basic({ messages: msgs(1001) }), /1,001 messages; the limit is 1,000 messages per request/, 'messages');
  });

  it('limits: 1,000,000 characters accepted, 1,000,001 refused with both numbers and the message number', () => {
    validateParams(basic({ messages: [{ role: 'user', content: 'x'.repeat(1_000_000) }] }));
    fails(
      basic({
        messages: [
          { role: 'system', content: 's' },
          { role: 'user', content: 'x'.repeat(1_000_001) },
        ],
      }),
      /Message 2 \(user\) has 1,000,001 characters; the limit is 1,000,000 characters/,
      'messages[1].content',
    );
  });

  const ranges: [keyof ChatCompletionParams, number, RegExp][] = [
    ['temperature', 2.5, /temperature 2\.5 is outside the allowed range 0 to 2/],
    ['temperature', -0.1, /temperature -0\.1 is outside the allowed range 0 to 2/],
    ['top_p', 1.5, /top_p 1\.5 is outside the allowed range 0 to 1/],
    ['top_p', -1, /top_p -1 is outside/],
    ['presence_penalty', 2.1, /presence_penalty 2\.1 is outside the allowed range -2 to 2/],
    ['presence_penalty', -3, /presence_penalty -3 is outside/],
    ['frequency_penalty', -2.5, /frequency_penalty -2\.5 is outside the allowed range -2 to 2/],
    ['frequency_penalty', 9, /frequency_penalty 9 is outside/],
  ];
  for (const [k, v, re] of ranges) {
    it(`${k} = ${v} is refused naming the range and value`, () => fails(basic({ [k]: v }), re, k));
  }

  it('NaN and strings are refused for numeric parameters', () => {
    fails(basic({ temperature: NaN }), /temperature must be a number between 0 and 2; got null/);
    fails(basic({ top_p: '0.5' as unknown as number }), /top_p must be a number between 0 and 1; got "0.5"/);
  });

  it('max_tokens < 1 or not whole is refused', () => {
    fails(basic({ max_tokens: 0 }), /max_tokens must be a whole number of at least 1; got 0/, 'max_tokens');
    fails(basic({ max_tokens: -5 }), /got -5/);
    fails(basic({ max_tokens: 1.5 }), /got 1\.5/);
  });

  it('an unknown role is refused naming it', () => {
    fails(
      basic({ messages: [{ role: 'robot' as 'user', content: 'x' }] }),
      /Message 1 has an unknown role "robot"/,
      'messages[0].role',
    );
  });

  it('a tool message without tool_call_id is refused', () => {
    fails(
      basic({
        messages: [
          { role: 'user', content: 'x' },
          { role: 'tool', content: 'result' },
        ],
      }),
      /Message 2 has role "tool" but no tool_call_id/,
      'messages[1].tool_call_id',
    );
  });

  it('an empty model is refused with kind noModel', () => {
    fails(basic({ model: '' }), /No model is selected/, 'model', 'noModel');
    fails(basic({ model: '   ' }), /No model is selected/, 'model', 'noModel');
  });

  it('no messages is refused', () => {
    fails(basic({ messages: [] }), /at least one message/);
  });

  it('stop, tools and tool_choice shapes are checked', () => {
    fails(basic({ stop: [1 as unknown as string] }), /stop must be a string or a list of strings/);
    fails(basic({ tools: [{ type: 'function', function: { name: '' } }] }), /Tool 1 must be/);
    fails(basic({ tool_choice: 'always' as 'auto' }), /tool_choice must be "auto", "none", "required"/);
    fails(basic({ tool_choice: { type: 'function', function: { name: '' } } }), /tool_choice must be/);
  });
});
