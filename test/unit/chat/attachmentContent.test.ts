import * as assert from 'node:assert/strict';
import { buildUserContent, contextLabel, formatContext, titleFrom } from '../../../src/chat/prompts';
import type { CodeContext } from '../../../src/protocol';

const file: CodeContext = {
  kind: 'file',
  path: 'src/app.ts',
  uri: 'file:///w/src/app.ts',
  language: 'typescript',
  startLine: 1,
  endLine: 3,
  totalLines: 3,
  text: 'a\nb\nc',
};

describe('attachments in the user message', () => {
  it('a file says its path, language and line range, then the code in a fence', () => {
    assert.equal(formatContext(file), 'File `src/app.ts` (typescript, lines 1-3 of 3):\n\n```typescript\na\nb\nc\n```');
  });

  it('a file sent in part carries its note to the model', () => {
    const out = formatContext({ ...file, note: 'src/app.ts has 9,000 lines, … so only its outline … are sent.' });
    assert.match(out, /^File `src\/app\.ts` \(typescript, lines 1-3 of 3\):\n\[src\/app\.ts has 9,000 lines/);
  });

  it('folders, Problems, changes and terminal output have headers of their own', () => {
    const base = { uri: '', language: '', startLine: 0, endLine: 0 };
    assert.match(
      formatContext({ ...base, kind: 'folder', path: 'src/', text: 'file  src/a.ts' }),
      /^Folder `src\/` \(its listing\):\n\n```\nfile {2}src\/a\.ts\n```$/,
    );
    assert.match(
      formatContext({ ...base, kind: 'problems', path: '', label: 'Problems', text: 'a.ts:1:1: error: x' }),
      /^Problems \(from VS Code's Problems view\):/,
    );
    assert.match(
      formatContext({ ...base, kind: 'changes', path: '', label: 'Changes', text: 'diff --git a/x b/x' }),
      /```diff\ndiff --git/,
    );
    assert.match(
      formatContext({ ...base, kind: 'terminal', path: '', label: 'Terminal: npm test', text: '$ npm test\nok' }),
      /^Terminal: npm test \(the last command run in the terminal, and its output\):\n\n```console\n/,
    );
  });

  it('a slash command sends its expanded prompt instead of the typed command, after the other attachments', () => {
    const prompt: CodeContext = {
      kind: 'prompt',
      path: '.bud/prompts/review.md',
      uri: '',
      language: '',
      startLine: 0,
      endLine: 0,
      label: '/review',
      text: 'Review this carefully.\n\nfocus on errors',
    };
    const out = buildUserContent('/review focus on errors', [prompt, file]);
    assert.ok(out.startsWith('File `src/app.ts`'));
    assert.ok(out.endsWith('```\n\nReview this carefully.\n\nfocus on errors'));
    assert.ok(!out.includes('/review'));
  });

  it('chips and titles name the attachment', () => {
    assert.equal(contextLabel(file), 'app.ts');
    assert.equal(contextLabel({ ...file, kind: 'folder', path: 'src/utils/' }), 'utils');
    assert.equal(contextLabel({ ...file, kind: 'changes', label: 'Changes' }), 'Changes');
    assert.equal(contextLabel({ ...file, kind: undefined, startLine: 2, endLine: 6 }), 'app.ts:2-6');
    assert.equal(titleFrom('', [file]), 'About app.ts');
  });
});
