import * as assert from 'node:assert/strict';
import type { ChatCompletion, ChatCompletionParams } from '../../../src/api/types';
import { cleanModelTitle, MAX_TITLE_CHARS, suggestTitle, titleMessages } from '../../../src/chat/titles';

const completion = (content: string): ChatCompletion => ({
  id: 'c',
  object: 'chat.completion',
  created: 0,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
});

describe('titles written by the model', () => {
  it('cleans the reply: first line, no quotes, label, Markdown or full stop; unusable replies give nothing', () => {
    assert.equal(cleanModelTitle('"Parsing CSV in Python".'), 'Parsing CSV in Python');
    assert.equal(cleanModelTitle('Title: **Regex for dates**\nHere is why…'), 'Regex for dates');
    assert.equal(
      cleanModelTitle('<think>the user asks about sorting</think>\n\n  Sorting   arrays  '),
      'Sorting arrays',
    );
    assert.equal(cleanModelTitle('# “Binary search”'), 'Binary search');
    assert.equal(cleanModelTitle(''), undefined);
    assert.equal(cleanModelTitle(' \n "" \n'), undefined);
    assert.equal(cleanModelTitle(null), undefined);
    const long = cleanModelTitle('word '.repeat(40))!;
    assert.equal(long.length, MAX_TITLE_CHARS);
    assert.ok(long.endsWith('…'));
  });

  it('asks with the question and the start of a long answer, without streaming, and survives failures', async () => {
    const msgs = titleMessages('How do I parse CSV?', 'x'.repeat(5000));
    assert.equal(msgs[0].role, 'system');
    assert.match(String(msgs[1].content), /^Question:\nHow do I parse CSV\?\n\nAnswer:\nx+…$/);
    assert.ok(String(msgs[1].content).length < 2100);

    let asked: ChatCompletionParams | undefined;
    const title = await suggestTitle(
      {
        createChatCompletion: async (p) => {
          asked = p;
          return completion('CSV parsing.');
        },
      },
      'm1',
      'How do I parse CSV?',
      'Use the csv module.',
    );
    assert.equal(title, 'CSV parsing');
    assert.equal(asked?.model, 'm1');
    assert.equal(asked?.max_tokens, 30);
    const failed = await suggestTitle(
      {
        createChatCompletion: async () => {
          throw new Error('503');
        },
      },
      'm1',
      'q',
      'a',
    );
    assert.equal(failed, undefined);
  });
});
