import * as assert from 'node:assert/strict';
import { filterDiff, headerPaths, unquoteGitPath } from '../../../src/attachments/diff';
import { OutputBuffer, terminalToText } from '../../../src/attachments/terminalText';
import { createDenyChecker } from '../../../src/tools/deny';

const PATCH = [
  'diff --git a/src/app.ts b/src/app.ts',
  'index 1111111..2222222 100644',
  '--- a/src/app.ts',
  '+++ b/src/app.ts',
  '@@ -1 +1 @@',
  '-old',
  '+new',
  'diff --git a/.env b/.env',
  'index 3333333..4444444 100644',
  '--- a/.env',
  '+++ b/.env',
  '@@ -1 +1 @@',
  '-API_KEY=old-secret',
  '+API_KEY=new-secret',
  'diff --git "a/docs/sp ace\\303\\251.md" "b/docs/sp ace\\303\\251.md"',
  '--- "a/docs/sp ace\\303\\251.md"',
  '+++ "b/docs/sp ace\\303\\251.md"',
  '@@ -0,0 +1 @@',
  '+hello',
  '',
].join('\n');

describe('#changes diff filtering', () => {
  it('leaves out the sections of denied files whole and names them; the rest stays byte for byte', () => {
    const deny = createDenyChecker([]);
    const r = filterDiff(PATCH, (p) => deny.denied(p));
    assert.deepEqual(r.omitted, ['.env']);
    assert.deepEqual(r.files, ['src/app.ts', 'docs/sp aceé.md']);
    assert.ok(!r.text.includes('secret'));
    assert.ok(r.text.startsWith('diff --git a/src/app.ts b/src/app.ts\nindex 1111111..2222222 100644'));
    assert.ok(r.text.endsWith('+hello'));
  });

  it('honours bud.tools.exclude and a rename into a denied path', () => {
    const deny = createDenyChecker(['docs/**']);
    const r = filterDiff(
      PATCH + 'diff --git a/keys.txt b/server.pem\nrename from keys.txt\nrename to server.pem\n',
      (p) => deny.denied(p),
    );
    assert.deepEqual(r.omitted, ['.env', 'docs/sp aceé.md', 'server.pem']);
    assert.deepEqual(r.files, ['src/app.ts']);
  });

  it('reads quoted and unquoted header paths', () => {
    assert.deepEqual(headerPaths('diff --git a/a b/c b/a b/c'), ['a b/c', 'a b/c']);
    assert.deepEqual(headerPaths('diff --git a/x.ts b/y.ts'), ['x.ts', 'y.ts']);
    assert.equal(unquoteGitPath('"a\\tb\\"c"'), 'a\tb"c');
  });
});

describe('#terminal output as text', () => {
  it('drops colours, cursor moves, titles and shell-integration marks', () => {
    const raw =
      '\x1b]633;C\x07\x1b[32m✓\x1b[0m 3 passing\r\n\x1b[1m\x1b[31m1 failing\x1b[0m\r\n\x1b]0;title\x07done\x1b[K\r\n\x1b]633;D;1\x07';
    assert.equal(terminalToText(raw), '✓ 3 passing\n1 failing\ndone');
  });

  it('keeps what a progress bar wrote last on its line, and applies backspaces', () => {
    assert.equal(terminalToText('10%\r50%\r100% done\nab\bc'), '100% done\nac');
    assert.equal(terminalToText('long line\rshort'), 'shortline');
  });

  it('keeps only the end of a long output', () => {
    const b = new OutputBuffer(10);
    b.push('0123456789');
    b.push('abcdef');
    assert.equal(b.text(), '6789abcdef');
    assert.equal(b.dropped, 6);
    b.push('x'.repeat(25));
    assert.equal(b.text(), 'x'.repeat(10));
    assert.equal(b.dropped, 31);
  });
});
