import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { isSubsequence, normaliseQuery, prepare, rank } from '../../../src/attachments/fuzzy';
import { FileIndex } from '../../../src/attachments/fileIndex';

const PATHS = [
  'README.md',
  'src/app.ts',
  'src/application/config.ts',
  'src/math.ts',
  'src/utils/strings.ts',
  'test/app.test.ts',
  'docs/guides/getting-started.md',
  'src/format/matrixTools.ts',
  'scripts/make-archive.ts',
];
const items = PATHS.map((path) => prepare({ path }));
const top = (q: string, n = 5) => rank(q, items, n).map((m) => m.item.path);

/** Each property runs for at most this long, and prints its seed and shrunk case when it fails. */
const budget = { interruptAfterTimeLimit: 2000, numRuns: 300 };

describe('# picker ranking', () => {
  it('puts a file whose name starts with the query first, shorter paths before longer ones', () => {
    assert.deepEqual(top('mat', 3), ['src/math.ts', 'src/format/matrixTools.ts', 'scripts/make-archive.ts']);
    assert.equal(top('app')[0], 'src/app.ts');
    assert.equal(top('app')[1], 'test/app.test.ts');
  });

  it('an exact file name beats a longer name with the same start', () => {
    const r = rank('app.ts', [prepare({ path: 'src/app.tsx' }), prepare({ path: 'lib/deep/dir/app.ts' })], 2);
    assert.equal(r[0].item.path, 'lib/deep/dir/app.ts');
  });

  it('matches spread-out characters at word starts (path segments, camelCase)', () => {
    assert.equal(top('mtt')[0], 'src/format/matrixTools.ts');
    assert.equal(top('gsm')[0], 'docs/guides/getting-started.md');
    const m = rank('su', items, 20).find((x) => x.item.path === 'src/utils/strings.ts');
    assert.ok(m);
  });

  it('is case-insensitive and ignores spaces; no match, no row', () => {
    assert.equal(top('READ')[0], 'README.md');
    assert.equal(top('src app')[0], 'src/app.ts');
    assert.deepEqual(top('zzz'), []);
  });

  it('reports the matched characters of the path, for highlighting', () => {
    const [m] = rank('math', items, 1);
    assert.deepEqual(m.positions, [4, 5, 6, 7]);
    assert.equal(m.positions.map((i) => m.item.path[i]).join(''), 'math');
  });

  it('property: every result contains the query in order, positions point at it, results are best first', () => {
    const pathArb = fc
      .array(fc.stringMatching(/^[a-zA-Z0-9_.-]{1,8}$/), { minLength: 1, maxLength: 4 })
      .map((segs) => segs.join('/'));
    fc.assert(
      fc.property(
        fc.array(pathArb, { minLength: 1, maxLength: 40 }),
        fc.stringMatching(/^[a-zA-Z.]{1,4}$/),
        (paths, query) => {
          const prepared = paths.map((path) => prepare({ path }));
          const res = rank(query, prepared, 10);
          const q = normaliseQuery(query);
          for (const m of res) {
            assert.ok(isSubsequence(q, m.item.path.toLowerCase()));
            assert.equal(m.positions.length, q.length);
            m.positions.forEach((p, k) => {
              assert.equal(m.item.path[p].toLowerCase(), q[k]);
              if (k > 0) assert.ok(p > m.positions[k - 1]);
            });
          }
          for (let k = 1; k < res.length; k++) assert.ok(res[k - 1].score >= res[k].score);
          const all = paths.filter((p) => isSubsequence(q, p.toLowerCase()));
          assert.equal(res.length, Math.min(10, all.length), 'nothing that matches is missing from a short list');
        },
      ),
      budget,
    );
  });

  it('property: a short list is the head of the full ranking (skipping hopeless matches changes nothing)', () => {
    const pathArb = fc
      // Few letters and short names, so equal scores (decided by the path) are common.
      .array(fc.stringMatching(/^[abAB._-]{1,3}$/), { minLength: 1, maxLength: 3 })
      .map((segs) => segs.join('/'));
    fc.assert(
      fc.property(
        fc.array(pathArb, { minLength: 1, maxLength: 60 }),
        fc.stringMatching(/^[ab]{1,3}$/),
        fc.integer({ min: 1, max: 8 }),
        (paths, query, limit) => {
          const prepared = paths.map((path) => prepare({ path }));
          const full = rank(query, prepared, prepared.length + 1);
          const short = rank(query, prepared, limit);
          assert.deepEqual(
            short.map((m) => [m.item.path, m.score, m.positions]),
            full.slice(0, limit).map((m) => [m.item.path, m.score, m.positions]),
          );
        },
      ),
      budget,
    );
  });

  it('equal scores are ordered by path, even when the short list is already full', () => {
    const equal = ['b/a', 'a/a', 'c/a'].map((path) => prepare({ path }));
    assert.deepEqual(
      rank('a', equal, 1).map((m) => m.item.path),
      ['a/a'],
    );
  });

  it('the index narrows as the query grows and gives the same list as a fresh search', () => {
    const entries = PATHS.map((path) => ({ path, isDir: false }));
    const typed = new FileIndex(entries);
    for (const q of ['s', 'sr', 'src', 'srca', 'srcap']) typed.search(q, 5);
    const fresh = new FileIndex(entries);
    assert.deepEqual(
      typed.search('srcapp', 5).map((m) => m.item.path),
      fresh.search('srcapp', 5).map((m) => m.item.path),
    );
    // Deleting characters (not a narrowing) starts from everything again.
    assert.deepEqual(
      typed.search('mat', 5).map((m) => m.item.path),
      fresh.search('mat', 5).map((m) => m.item.path),
    );
  });

  it('an empty query lists the preferred (open) files first, then files, never folders', () => {
    const index = new FileIndex([
      { path: 'a.ts', isDir: false },
      { path: 'src/', isDir: true },
      { path: 'src/b.ts', isDir: false },
    ]);
    assert.deepEqual(
      index.search('', 5, ['src/b.ts']).map((m) => m.item.path),
      ['src/b.ts', 'a.ts'],
    );
  });
});
