// A deterministic "recorded" Chat Completions stream for the SSE benchmark: ~20 MB of small chunks, as a
// gateway sends them (OpenAI-shaped chunk JSON, `data: ` lines, blank-line separators), with the quirks that
// cost real decoders time: keep-alive comments, CRLF sections, multi-byte UTF-8, reasoning chunks, tool-call
// fragments, a usage-only last chunk. Also cut into network-sized pieces (1–16 KB, splitting anywhere).
// Two mixes: 'mixed' (about a third of the tokens are accented, CJK, emoji or arrows: every network piece holds
// multi-byte UTF-8) and 'english' (English prose and code; one token in 200 is a curly quote, dash or accent).
import { prng } from './prng';

const TOKENS = [
  ' the',
  ' of',
  ' and',
  ' to',
  ' a',
  ' in',
  ' is',
  ' that',
  ' function',
  ' return',
  ' const',
  '(',
  ')',
  '{',
  '}',
  ';',
  '\n',
  '  ',
  ' value',
  ' error',
  ' résumé',
  ' naïve',
  ' 日本語',
  ' 文字',
  ' 😀',
  ' →',
  ' Ω',
  '`',
  '```ts\n',
  ' "quoted"',
  ' back\\slash',
  ' tab\t',
  ' über',
  ' código',
  ' ✓',
];

const TOKENS_EN = [
  ' the',
  ' of',
  ' and',
  ' to',
  ' a',
  ' in',
  ' is',
  ' that',
  ' function',
  ' return',
  ' const',
  '(',
  ')',
  '{',
  '}',
  ';',
  '\n',
  '  ',
  ' value',
  ' error',
  ' for',
  ' with',
  ' this',
  ' import',
  ' export',
  ' await',
  ' string',
  ' number',
  '`',
  '```ts\n',
  ' "quoted"',
  ' back\\slash',
  ' tab\t',
  ' =>',
  ' if',
];
const RARE = ['’', ' —', ' café', ' “', '”', ' …'];

export type StreamMix = 'mixed' | 'english';

export interface RecordedStream {
  /** The whole body as bytes. */
  bytes: Buffer;
  /** The `data:` payload of every event, in order (what JSON.parse alone is timed on; excludes [DONE]). */
  payloads: string[];
  /** The body cut into network reads. */
  pieces: Buffer[];
  /** What the stream adds up to. */
  expected: { content: string; reasoning: string; toolCalls: number; events: number };
}

export function generateRecordedStream(
  targetBytes = 20 * 1024 * 1024,
  seed = 7,
  mix: StreamMix = 'mixed',
): RecordedStream {
  const rand = prng(seed);
  const token =
    mix === 'mixed'
      ? () => TOKENS[Math.floor(rand() * TOKENS.length)]
      : () =>
          rand() < 0.005 ? RARE[Math.floor(rand() * RARE.length)] : TOKENS_EN[Math.floor(rand() * TOKENS_EN.length)];
  const parts: string[] = [];
  const payloads: string[] = [];
  let size = 0;
  let content = '';
  let reasoning = '';
  const head =
    '{"id":"chatcmpl-9zYxWvU8tS7rQ6pO5nM4","object":"chat.completion.chunk","created":1764000000,"model":"bud-large-2026-01","system_fingerprint":"fp_4b2c9e1a7d","choices":[{"index":0,"delta":';
  const tail = (finish: string | null) =>
    `,"logprobs":null,"finish_reason":${finish === null ? 'null' : JSON.stringify(finish)}}]}`;
  const emit = (payload: string, nl = '\n') => {
    payloads.push(payload);
    const ev = `data: ${payload}${nl}${nl}`;
    parts.push(ev);
    size += Buffer.byteLength(ev);
  };
  emit(`${head}{"role":"assistant","content":"","refusal":null}${tail(null)}`);
  // reasoning first (DeepSeek style), about 5 % of the stream
  while (size < targetBytes * 0.05) {
    const t = token();
    reasoning += t;
    emit(`${head}{"content":null,"reasoning_content":${JSON.stringify(t)}}${tail(null)}`);
  }
  let n = 0;
  while (size < targetBytes * 0.97) {
    const k = 1 + Math.floor(rand() * 3);
    let t = '';
    for (let i = 0; i < k; i++) t += token();
    content += t;
    const crlf = (n >> 10) % 4 === 3; // every fourth block of 1024 events uses CRLF
    emit(`${head}{"content":${JSON.stringify(t)}}${tail(null)}`, crlf ? '\r\n' : '\n');
    if (++n % 500 === 0) {
      const c = ': ping\n\n';
      parts.push(c);
      size += c.length;
    }
  }
  // two tool calls in fragments
  const args = [
    '{"path":"src/api/client.ts","startLine":1,"endLine":200}',
    '{"query":"streamChatCompletion","maxResults":50}',
  ];
  args.forEach((a, i) => {
    emit(
      `${head}{"tool_calls":[{"index":${i},"id":"call_${i}abc","type":"function","function":{"name":"${i ? 'search_text' : 'read_file'}","arguments":""}}]}${tail(null)}`,
    );
    for (let p = 0; p < a.length; p += 4)
      emit(
        `${head}{"tool_calls":[{"index":${i},"function":{"arguments":${JSON.stringify(a.slice(p, p + 4))}}}]}${tail(null)}`,
      );
  });
  emit(`${head}{}${tail('tool_calls')}`);
  emit(
    '{"id":"chatcmpl-9zYxWvU8tS7rQ6pO5nM4","object":"chat.completion.chunk","created":1764000000,"model":"bud-large-2026-01","choices":[],"usage":{"prompt_tokens":1234,"completion_tokens":98765,"total_tokens":99999}}',
  );
  parts.push('data: [DONE]\n\n');
  const bytes = Buffer.from(parts.join(''), 'utf8');
  const pieces: Buffer[] = [];
  for (let off = 0; off < bytes.length;) {
    const len = 1024 + Math.floor(rand() * 15 * 1024);
    pieces.push(bytes.subarray(off, off + len));
    off += len;
  }
  return { bytes, payloads, pieces, expected: { content, reasoning, toolCalls: 2, events: payloads.length } };
}
