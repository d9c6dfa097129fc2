// The pseudo-locale check of the e2e layer (test/e2e/pseudoLocale.e2e.ts) for what it does not reach: with every
// string of the bundle pseudo-translated (letters accented, placeholders kept), the sentences the pure layers and
// the file tools make — notes, warnings, notices, tool-call summaries — hold no English word. A sentence built
// from a literal instead of t() fails here.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as l10n from '@vscode/l10n';
import { answerLimitNote } from '../../../src/chat/answerLimit';
import { exportMarkdown } from '../../../src/chat/chatExport';
import { checkContentLimit, newChat } from '../../../src/chat/conversation';
import { toErrorInfo } from '../../../src/chat/errorInfo';
import { instructionProblem } from '../../../src/chat/instructions';
import { roundLimitNote } from '../../../src/chat/toolStep';
import { addChild } from '../../../src/chat/tree';
import { resolveConfig } from '../../../src/config/resolve';
import { describeDoesNotFit, type DoesNotFit } from '../../../src/context/fit';
import { resolveWindow } from '../../../src/context/windows';
import type { ToolExecutor } from '../../../src/tools/port';
import { createFsToolExecutor } from '../../../src/tools/fsTools';
import { repoRoot } from '../../harness/paths';
import { run, tempTree, type TempTree } from '../tools/helpers';

/** Every ASCII letter gets an acute accent (a combining mark), as in a pseudo bundle; `{0}` placeholders stay. */
function pseudo(text: string): string {
  return text
    .split(/(\{\d+\})/)
    .map((part, i) => (i % 2 ? part : part.replace(/[A-Za-z]/g, (c) => `${c}\u0301`)))
    .join('');
}

/** ASCII-only words of two letters or more, once the names Bud puts into its sentences are taken out. */
function englishWords(text: string): string[] {
  const cleaned = text
    .replace(/~\/\.bud\/config\.toml|\S*\/\.env\b/g, ' ')
    .replace(/\b(bud\.[\w.]+|BUD_[A-Z_]+|api_key|base_url|max_retries|verify_ssl|timeout)\b/g, ' ')
    .replace(/\b(TOML|JSON|URL)\b/g, ' ');
  return [...new Set(cleaned.match(/(?<![\p{L}])[A-Za-z]{2,}(?![\p{L}])/gu) ?? [])];
}

const assertPseudo = (text: string | undefined) => {
  assert.ok(text, 'no text');
  assert.deepEqual(englishWords(text), [], text);
};

describe('pseudo locale: the pure layers and the file tools say nothing in English', () => {
  let t: TempTree;
  let tools: ToolExecutor;
  before(async () => {
    const english = JSON.parse(readFileSync(join(repoRoot(), 'l10n/bundle.l10n.json'), 'utf8')) as Record<
      string,
      string | { message: string }
    >;
    const contents = Object.fromEntries(
      Object.entries(english).map(([k, v]) => [k, pseudo(typeof v === 'string' ? v : v.message)]),
    );
    l10n.config({ contents });
    // Values put into the sentences are non-English too, so only Bud's own words are checked.
    t = tempTree('bud-pseudo-');
    t.write({ 'ǫ/ǫ.ǭ': 'ǫ\nǫ\n', 'ǫ/é.ǭ': '', 'ǫ/.env': 'ǫ' });
    tools = await createFsToolExecutor({ folders: [{ name: 'ǫ', fsPath: t.root }] });
  });
  after(() => {
    l10n.config({ contents: {} });
    t.cleanup();
  });

  it('answer and round limit notes, message-size and instruction refusals, the error fallback', () => {
    for (const what of ['text', 'reasoning', 'tool call'] as const) assertPseudo(answerLimitNote(what, 1_000_000));
    assertPseudo(roundLimitNote(1));
    assertPseudo(roundLimitNote(10));
    assertPseudo(checkContentLimit('ǫ'.repeat(11), false, 10));
    assertPseudo(checkContentLimit('ǫ'.repeat(11), true, 10));
    assertPseudo(instructionProblem('ǫ.ǭ', 200_000));
    assertPseudo(toErrorInfo(new Error('')).message);
  });

  it('the Markdown export: its header, headings, tool list and status notes', () => {
    for (const status of ['stopped', 'interrupted', 'error'] as const) {
      const chat = newChat('ǫ', 0);
      chat.title = '';
      const question = { id: 'ǭ', role: 'user' as const, content: 'ǫ', status: 'complete' as const, createdAt: 0 };
      addChild(chat, undefined, question);
      addChild(chat, question, {
        id: 'ǫ',
        role: 'assistant' as const,
        content: 'ǫ',
        status,
        createdAt: 0,
        toolCalls: (['done', 'error', 'cancelled', 'running'] as const).map((state) => ({
          id: 'ǫ',
          name: 'ǫ',
          argsText: '{}',
          state,
          summary: 'ǫ',
        })),
      });
      const markdown = exportMarkdown(chat);
      assert.match(markdown, /^> _/m, 'the status note is there');
      // The brand stays as it is ("## Bud"); everything else is the bundle's.
      assertPseudo(markdown.replace(/^## Bud$/gm, ''));
    }
  });

  it('the settings and config.toml warnings', () => {
    const r = resolveConfig({
      settings: { requestTimeout: -1, maxRetries: 99, baseUrl: 'ǫ:ǫ' },
      env: { BUD_TIMEOUT: '-1' },
      configFileText: 'api_key = 3\nverify_ssl = 1\nmax_retries = -1\ntimeout = 0\n',
    });
    assert.ok(r.warnings.length >= 6, JSON.stringify(r.warnings));
    for (const w of r.warnings) assertPseudo(w);
    for (const w of resolveConfig({ settings: {}, env: {}, configFileText: '= ǫ' }).warnings) assertPseudo(w);
  });

  it('the context window details and the "does not fit" error', () => {
    assertPseudo(resolveWindow({ baseUrl: 'http://127.0.0.1', model: 'ǫ' }).detail);
    assertPseudo(resolveWindow({ baseUrl: 'http://127.0.0.1', model: 'ǫ', setting: 4096 }).detail);
    const r: DoesNotFit = {
      ok: false,
      tokens: 9000,
      limit: 6000,
      window: 8192,
      reserve: 2192,
      breakdown: { system: 100, tools: 200, history: 8000, attachments: 700 },
      help: ['removeAttachment', 'shortenMessage', 'disableTools'],
    };
    assertPseudo(describeDoesNotFit(r));
  });

  it("the tool calls' row summaries, done and failed", async () => {
    const calls: [string, unknown][] = [
      ['read_file', { path: 'ǫ/ǫ.ǭ' }],
      ['read_file', { path: 'ǫ/ǫ.ǭ', start_line: 2 }],
      ['read_file', { path: 'ǫ/é.ǭ' }],
      ['read_file', { path: 'ǫ/ǫ.ǭ', start_line: 9 }],
      ['read_file', { path: 'ǫ/ǫ.ǭ', start_line: 2, end_line: 1 }],
      ['read_file', { path: 'ǫ' }],
      ['read_file', { path: 'ǫ/ǫǫ.ǭ' }],
      ['read_file', { path: '../ǫ' }],
      ['read_file', { path: 'ǫ/.env' }],
      ['list_directory', { path: 'ǫ' }],
      ['list_directory', { path: 'ǫ/ǫ.ǭ' }],
      ['find_files', { glob: '**/*.ǭ' }],
      ['find_files', { glob: '**/*.ǫ' }],
      ['search_text', { query: 'ǫ' }],
      ['search_text', { query: 'ǫǫǫ' }],
      ['search_text', { query: '(', is_regex: true }],
      ['ǫ', {}],
    ];
    for (const [name, args] of calls) {
      const r = await run(tools, name, args);
      assertPseudo(r.summary);
    }
  });
});
