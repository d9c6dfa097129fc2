// Output caps: per line, in total (head and tail kept, with a note saying how to page on), binary sniffing,
// and each tool's own limits on a temporary workspace.
import * as assert from 'node:assert/strict';
import { CAPS, capLine, capOutput, clampInt, formatSize, looksBinary } from '../../../src/tools/caps';
import { createFsToolExecutor } from '../../../src/tools/fsTools';
import { forEachLine } from '../../../src/tools/lines';
import { RG, run, tempTree, type TempTree } from './helpers';

describe('caps', () => {
  it('capLine keeps short lines and cuts long ones, saying how much was cut', () => {
    assert.equal(capLine('short'), 'short');
    const long = 'x'.repeat(CAPS.maxLineChars + 123);
    const c = capLine(long);
    assert.ok(c.startsWith('x'.repeat(CAPS.maxLineChars) + ' … '));
    assert.match(c, /\[line cut: 123 more characters\]$/);
  });

  it('capOutput returns small outputs whole', () => {
    const r = capOutput(['a', 'b', 'c']);
    assert.equal(r.text, 'a\nb\nc');
    assert.equal(r.omitted, 0);
  });

  it('capOutput keeps head and tail under the limit, with the paging hint in the middle', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i + 1} ${'y'.repeat(40)}`);
    const r = capOutput(lines, {
      hint: (from, to) => `Call read_file with start_line=${from + 1} and end_line=${to + 1} to see them.`,
    });
    assert.ok(r.text.length <= CAPS.maxOutputChars + 300, `length ${r.text.length}`);
    assert.ok(r.text.startsWith('line 1 '));
    assert.ok(r.text.endsWith(`line 5000 ${'y'.repeat(40)}`));
    assert.ok(r.omitted > 0);
    assert.match(
      r.text,
      new RegExp(
        `\\[… ${r.omitted} lines left out to keep this result under ${CAPS.maxOutputChars} characters\\. Call read_file with start_line=${r.omittedFrom! + 1} and end_line=${r.omittedTo! + 1} to see them\\. …\\]`,
      ),
    );
    const head = r.text.split('\n[…')[0];
    assert.ok(head.length > r.text.length * 0.5, 'the head gets the larger share');
  });

  it('looksBinary: NUL bytes and control-character soup are binary; UTF-8 text is not', () => {
    assert.equal(looksBinary(Buffer.from('plain text\n\twith tabs\r\n')), false);
    assert.equal(looksBinary(Buffer.from('héllo wörld — ✓ 日本語', 'utf8')), false);
    assert.equal(looksBinary(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00])), true);
    assert.equal(looksBinary(Buffer.from(Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 1 : 65)))), true);
    assert.equal(looksBinary(Buffer.alloc(0)), false);
  });

  it('formatSize and clampInt', () => {
    assert.equal(formatSize(512), '512 B');
    assert.equal(formatSize(1536), '1.5 KB');
    assert.equal(formatSize(25 * 1024 * 1024), '25 MB');
    assert.equal(clampInt(undefined, 5, 1, 10), 5);
    assert.equal(clampInt(99, 5, 1, 10), 10);
    assert.equal(clampInt(0, 5, 1, 10), 1);
    assert.equal(clampInt(2.7, 5, 1, 10), 2);
  });

  describe('on a temporary workspace', function () {
    this.timeout(20_000);
    let t: TempTree;
    let tools: Awaited<ReturnType<typeof createFsToolExecutor>>;
    before(async () => {
      t = tempTree('bud-caps-');
      const many = Array.from({ length: 2500 }, (_, i) => `row ${i + 1}`).join('\n') + '\n';
      t.write({
        'many.txt': many,
        'wide.txt': `${'w'.repeat(5000)}\nshort\n`,
        'crlf.txt': 'one\r\ntwo\r\n',
        'fat.txt': Array.from({ length: 900 }, (_, i) => `${i + 1} ${'z'.repeat(200)}`).join('\n'),
        'bin.dat': Buffer.from([1, 2, 3, 0, 4, 5]),
        'empty.txt': '',
      });
      for (let i = 0; i < CAPS.listMaxEntries + 50; i++) t.write({ [`big/f${String(i).padStart(4, '0')}.txt`]: 'x' });
      t.write({
        'hits/all.txt': Array.from({ length: CAPS.searchMaxResults + 100 }, (_, i) => `needle ${i}`).join('\n'),
      });
      tools = await createFsToolExecutor({ folders: [{ name: 'ws', fsPath: t.root }], rgPath: RG });
    });
    after(() => t.cleanup());

    it('read_file pages: default page size, then "read on" from the next line', async () => {
      const r = await run(tools, 'read_file', { path: 'many.txt' });
      assert.equal(r.isError, false);
      const lines = r.content.split('\n');
      assert.equal(lines[0], `many.txt — lines 1–${CAPS.readPageLines} of 2500`);
      assert.equal(lines[1], '1: row 1');
      assert.equal(lines[CAPS.readPageLines], `${CAPS.readPageLines}: row ${CAPS.readPageLines}`);
      assert.equal(
        lines.at(-1),
        `[More lines follow: call read_file with start_line=${CAPS.readPageLines + 1} to read on.]`,
      );
      const next = await run(tools, 'read_file', { path: 'many.txt', start_line: 2401, end_line: 9999 });
      assert.match(next.content, /^many\.txt — lines 2401–2500 of 2500\n2401: row 2401/);
      assert.doesNotMatch(next.content, /More lines follow/);
      assert.equal(next.summary, 'Lines 2401–2500 of 2500 in many.txt');
    });

    it(`read_file returns at most ${CAPS.readMaxLines} lines per call and says so`, async () => {
      const r = await run(tools, 'read_file', { path: 'many.txt', start_line: 1, end_line: 2500 });
      assert.match(r.content, new RegExp(`lines 1–${CAPS.readMaxLines} of 2500`));
      assert.match(
        r.content,
        new RegExp(
          `\\[More lines follow \\(at most ${CAPS.readMaxLines} lines per call\\): call read_file with start_line=${CAPS.readMaxLines + 1} to read on\\.\\]`,
        ),
      );
    });

    it('read_file cuts long lines and caps the total, keeping head and tail with a paging note', async () => {
      const w = await run(tools, 'read_file', { path: 'wide.txt' });
      assert.match(w.content, /1: w{400} … \[line cut: 4600 more characters\]\n2: short/);
      const f = await run(tools, 'read_file', { path: 'fat.txt', end_line: 900 });
      assert.ok(f.content.length <= CAPS.maxOutputChars + 200, `length ${f.content.length}`);
      assert.match(f.content, /\n1: 1 z+\n/);
      assert.match(f.content, /\n900: 900 z+$/);
      assert.match(
        f.content,
        /lines left out to keep this result under \d+ characters\. Call read_file with start_line=\d+ and end_line=\d+ to see them\./,
      );
      assert.match(f.summary, /lines cut to fit/);
    });

    it('read_file handles CRLF, empty files, binary files and start past the end', async () => {
      assert.equal(
        (await run(tools, 'read_file', { path: 'crlf.txt' })).content,
        'crlf.txt — lines 1–2 of 2\n1: one\n2: two',
      );
      assert.equal((await run(tools, 'read_file', { path: 'empty.txt' })).content, 'empty.txt is empty (0 lines).');
      const b = await run(tools, 'read_file', { path: 'bin.dat' });
      assert.equal(b.isError, true);
      assert.match(b.content, /binary file/);
      const past = await run(tools, 'read_file', { path: 'crlf.txt', start_line: 10 });
      assert.equal(past.isError, true);
      assert.match(past.content, /start_line 10 is past the end of "crlf\.txt", which has 2 lines/);
      const rev = await run(tools, 'read_file', { path: 'crlf.txt', start_line: 2, end_line: 1 });
      assert.match(rev.content, /end_line \(1\) is before start_line \(2\)/);
    });

    it('forEachLine keeps memory bounded on a huge single line', async () => {
      t.write({ 'oneline.txt': 'q'.repeat(3_000_000) });
      const seen: string[] = [];
      const res = await forEachLine(t.path('oneline.txt'), (_n, text) => {
        seen.push(text);
      });
      assert.equal(res.lines, 1);
      assert.ok(seen[0].length < CAPS.maxLineChars + 60);
      assert.match(seen[0], /\[line cut: 2999600 more characters\]/);
    });

    it(`list_directory shows at most ${CAPS.listMaxEntries} entries and says how many more`, async () => {
      const r = await run(tools, 'list_directory', { path: 'big' });
      const files = r.content.split('\n').filter((l) => l.startsWith('file '));
      assert.equal(files.length, CAPS.listMaxEntries);
      assert.match(
        r.content,
        /\[… 50 more entries not shown \(limit 400\)\. List a sub-directory, or use a smaller depth\.\]/,
      );
      assert.match(r.content, /^big\/ — 450 entries/);
    });

    it('find_files caps at max_results and reports the total', async () => {
      const r = await run(tools, 'find_files', { glob: 'big/*.txt', max_results: 10 });
      const lines = r.content.split('\n');
      assert.equal(lines[0], '450 files match "big/*.txt"; the first 10 are shown:');
      assert.equal(lines[1], 'big/f0000.txt');
      assert.equal(lines[10], 'big/f0009.txt');
      assert.match(lines[11], /\[… 440 more not shown/);
    });

    for (const engine of ['ripgrep', 'scanner']) {
      it(`search_text stops at max_results (default ${CAPS.searchDefaultResults}, at most ${CAPS.searchMaxResults}) — ${engine}`, async () => {
        const ex =
          engine === 'ripgrep' ? tools : await createFsToolExecutor({ folders: [{ name: 'ws', fsPath: t.root }] });
        const d = await run(ex, 'search_text', { query: 'needle', include_glob: 'hits/**' });
        assert.equal((d.content.match(/^hits\/all\.txt:\d+: /gm) ?? []).length, CAPS.searchDefaultResults);
        assert.match(d.content, new RegExp(`^${CAPS.searchDefaultResults}\\+ matches in 1 file`));
        assert.match(
          d.content,
          /\[Stopped after 100 matches\. Narrow the query or use include_glob, or raise max_results \(up to 500\)\.\]/,
        );
        const few = await run(ex, 'search_text', { query: 'needle', max_results: 3 });
        assert.equal((few.content.match(/^hits\/all\.txt:\d+: /gm) ?? []).length, 3);
        const tooMany = await run(ex, 'search_text', { query: 'needle', max_results: CAPS.searchMaxResults + 1 });
        assert.equal(tooMany.isError, true);
        assert.match(tooMany.content, /"max_results" must be at most 500/);
      });
    }
  });
});
