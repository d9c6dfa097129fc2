// A deterministic synthetic model answer for the render benchmark: prose, nested lists, tables and fenced
// code blocks in several languages, like a long technical answer. ~4 characters per token.
import { prng as rng } from './prng';

export const CHARS_PER_TOKEN = 4;

const WORDS = (
  'the renderer parses each block once and keeps its sanitised nodes while only the open tail is lexed ' +
  'again on the next animation frame so long answers stay smooth even when a model writes quickly about ' +
  'streams buffers tokens latency frames lists tables code requests gateway models settings history'
).split(' ');

const CODE: Record<string, string[]> = {
  ts: [
    'export function add(a: number, b: number): number {',
    '  const total = a + b; // sum',
    '  return total;',
    '}',
    'const items = [1, 2, 3].map((x) => x * 2);',
  ],
  python: [
    'def fib(n: int) -> int:',
    '    if n < 2:',
    '        return n',
    '    return fib(n - 1) + fib(n - 2)',
    'print([fib(i) for i in range(10)])',
  ],
  json: ['{', '  "name": "bud-chat",', '  "version": "0.1.0",', '  "tags": ["ai", "chat"],', '  "enabled": true', '}'],
  bash: ['set -euo pipefail', 'for f in src/*.ts; do', '  echo "checking $f"', 'done', 'npm run build && npm test'],
  go: [
    'package main',
    'import "fmt"',
    'func main() {',
    '\tfor i := 0; i < 3; i++ {',
    '\t\tfmt.Println("hello", i)',
    '\t}',
    '}',
  ],
  rust: [
    'fn main() {',
    '    let v: Vec<u32> = (0..10).collect();',
    '    let s: u32 = v.iter().sum();',
    '    println!("{}", s);',
    '}',
  ],
  java: [
    'public class Main {',
    '  public static void main(String[] args) {',
    '    System.out.println("Hello");',
    '  }',
    '}',
  ],
  sql: [
    'SELECT id, name, created_at',
    'FROM chats',
    "WHERE title LIKE '%bud%'",
    'ORDER BY created_at DESC',
    'LIMIT 20;',
  ],
  yaml: [
    'name: ci',
    'on: [push]',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: npm test',
  ],
  diff: ['--- a/src/a.ts', '+++ b/src/a.ts', '@@ -1,3 +1,3 @@', '-const x = 1;', '+const x = 2;', ' export { x };'],
};
const LANGS = Object.keys(CODE);

/** About `tokens` tokens of Markdown with `codeBlocks` fenced code blocks spread evenly. */
export function syntheticAnswer(tokens: number, codeBlocks = Math.max(1, Math.round(tokens / 1000)), seed = 7): string {
  const rand = rng(seed);
  const target = tokens * CHARS_PER_TOKEN;
  const per = target / codeBlocks;
  const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
  const sentence = () => {
    const s = words(8 + Math.floor(rand() * 12));
    const r = rand();
    const deco =
      r < 0.15
        ? ` **${words(2)}**`
        : r < 0.3
          ? ` \`${words(1)}()\``
          : r < 0.4
            ? ` [${words(2)}](https://example.com/${words(1)})`
            : '';
    return s[0].toUpperCase() + s.slice(1) + deco + '.';
  };
  const paragraph = () => Array.from({ length: 3 + Math.floor(rand() * 3) }, sentence).join(' ');
  const out: string[] = [];
  let len = 0;
  const push = (s: string) => {
    out.push(s);
    len += s.length;
  };
  for (let b = 0; b < codeBlocks; b++) {
    const sectionEnd = per * (b + 1);
    push(`## ${words(3)} ${b + 1}\n\n`);
    push(paragraph() + '\n\n');
    const lang = LANGS[b % LANGS.length];
    const lines = CODE[lang];
    const n = 8 + Math.floor(rand() * 16);
    push('```' + lang + '\n' + Array.from({ length: n }, (_, i) => lines[i % lines.length]).join('\n') + '\n```\n\n');
    let k = 0;
    while (len < sectionEnd) {
      const kind = k++ % 4;
      if (kind === 0) push(paragraph() + '\n\n');
      else if (kind === 1) {
        const items = 3 + Math.floor(rand() * 4);
        for (let i = 0; i < items; i++) {
          push(`- ${sentence()}\n`);
          if (rand() < 0.3) push(`  - ${sentence()}\n  - ${sentence()}\n`);
        }
        push('\n');
      } else if (kind === 2) {
        push('| Name | Value | Notes |\n|------|------:|-------|\n');
        const rows = 3 + Math.floor(rand() * 5);
        for (let i = 0; i < rows; i++) push(`| ${words(1)} | ${Math.floor(rand() * 1000)} | ${words(4)} |\n`);
        push('\n');
      } else {
        push(`1. ${sentence()}\n2. ${sentence()}\n3. ${sentence()}\n\n> ${sentence()}\n\n`);
      }
    }
  }
  return out.join('').slice(0, target);
}
