// Generated chats for the fitting tests: turns with attachments and tool rounds, built from slices of one text
// (cheap to make at any size), and a fast stand-in tokenizer (4 characters a token) for large property runs.
import * as fc from 'fast-check';
import type { ChatMessage, FunctionTool } from '../../../src/api/types';
import { TokenCounter } from '../../../src/context/counter';
import type { HistoryTurn } from '../../../src/context/fit';
import type { Tokenizer } from '../../../src/context/tokenizer';

const WORDS = 'the quick brown fox reads src/app.ts line 42 and returns { ok: true } while the test waits\n';
const TEXT = WORDS.repeat(Math.ceil(40_000 / WORDS.length));
export const text = (n: number, from = 0): string => TEXT.slice(from % 97, (from % 97) + n);

export const charTokenizer: Tokenizer = { name: 'chars/4', count: (t) => Math.ceil(t.length / 4) };
export const charCounter = () => new TokenCounter(() => charTokenizer);

export const TOOLS: FunctionTool[] = [
  {
    type: 'function',
    function: {
      name: 'read_file',
      description: 'Reads a file of the workspace.',
      parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
    },
  },
  {
    type: 'function',
    function: {
      name: 'search_text',
      description: 'Searches the workspace.',
      parameters: { type: 'object', properties: { query: { type: 'string' } } },
    },
  },
];

export interface TurnSpec {
  userChars: number;
  attachChars: number;
  /** Per tool round, the sizes of its tool results. */
  rounds: number[][];
  answerChars: number;
}

const size = (small: number, large: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: small }) },
    { weight: 1, arbitrary: fc.integer({ min: small, max: large }) },
  );

export const turnArb: fc.Arbitrary<TurnSpec> = fc.record({
  userChars: fc.integer({ min: 1, max: 3000 }),
  attachChars: fc.oneof(
    { weight: 4, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }) },
  ),
  rounds: fc.array(fc.array(size(1500, 30_000), { minLength: 1, maxLength: 3 }), { maxLength: 3 }),
  answerChars: size(2000, 12_000),
});

let seq = 0;

/** A turn's stored ids and API messages; `answered` false leaves out the final answer (the turn being answered). */
export function buildTurn(spec: TurnSpec, counter: TokenCounter, answered = true): HistoryTurn {
  const n = seq++;
  const attachment = spec.attachChars
    ? `From \`src/x.ts\`, lines 1-9 (typescript):\n\n\`\`\`typescript\n${text(spec.attachChars, n)}\n\`\`\`\n\n`
    : '';
  const user: ChatMessage = { role: 'user', content: attachment + text(spec.userChars, n + 1) };
  const messages: ChatMessage[] = [user];
  spec.rounds.forEach((round, r) => {
    const calls = round.map((_, i) => ({
      id: `call_${n}_${r}_${i}`,
      type: 'function' as const,
      function: { name: 'read_file', arguments: `{"path":"src/f${i}.ts"}` },
    }));
    messages.push({ role: 'assistant', content: r === 0 ? null : 'Looking further.', tool_calls: calls });
    round.forEach((chars, i) =>
      messages.push({ role: 'tool', tool_call_id: calls[i].id, content: text(chars, n + i) }),
    );
  });
  if (answered) messages.push({ role: 'assistant', content: text(spec.answerChars, n + 2) });
  const ids = answered ? [`u${n}`, `a${n}`] : [`u${n}`];
  return { ids, messages, attachmentTokens: attachment ? counter.text(attachment) : 0 };
}

export const SYSTEM: ChatMessage = {
  role: 'system',
  content: 'You are Bud, a coding assistant inside VS Code. Answer in Markdown.',
};

/** Every tool message directly follows (with its siblings) the assistant message that called it, and every call is answered. */
export function toolPairingErrors(messages: readonly ChatMessage[]): string[] {
  const errors: string[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!m.tool_calls?.length) {
      if (m.role === 'tool' && (i === 0 || (messages[i - 1].role !== 'tool' && !messages[i - 1].tool_calls?.length)))
        errors.push(`orphan tool message at ${i}`);
      continue;
    }
    const ids = m.tool_calls.map((c) => c.id);
    const answered = [];
    for (let j = i + 1; j < messages.length && messages[j].role === 'tool'; j++)
      answered.push(messages[j].tool_call_id);
    if (JSON.stringify(answered) !== JSON.stringify(ids))
      errors.push(`calls ${ids.join(',')} at ${i} answered by ${answered.join(',')}`);
  }
  return errors;
}
