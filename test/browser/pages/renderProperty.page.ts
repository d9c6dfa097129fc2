// Browser entry for the renderer property (renderProperty.test.ts): fast-check runs here, in the page, against the
// real incremental renderer, so a run costs no round trip to Node and shrinking happens where the renderer is.
// Node passes the run settings (seed, budget) in and gets fast-check's summary and report back.
import fc from 'fast-check';
import { renderMarkdown, renderMarkdownSliced } from '../../../src/webview-app/markdown/index';
import { IncrementalRenderer } from '../../../src/webview-app/markdown/streaming';
import { fuzzParameters, summarise, type fuzzSettings, type RunSummary } from '../../unit/fuzz/conventions';
import { CORPUS } from '../markdownCorpus';

// ---- documents -------------------------------------------------------------------------------------------------

const word = fc.constantFrom(
  'alpha',
  'beta',
  'gamma',
  'x',
  'é',
  '日本',
  '👋',
  'snake_case',
  'a*b',
  '1.',
  '-',
  '#',
  '|',
  '`',
  '<',
  '&amp;',
  '\\*',
);
const words = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));

/** Inline Markdown: emphasis, code spans, links (inline, reference, auto), raw inline HTML. */
const inline = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: words },
      { weight: 1, arbitrary: words.map((w) => `*${w}*`) },
      { weight: 1, arbitrary: words.map((w) => `**${w}**`) },
      { weight: 1, arbitrary: words.map((w) => `_${w}_`) },
      { weight: 1, arbitrary: words.map((w) => `\`${w}\``) },
      { weight: 1, arbitrary: words.map((w) => `[${w}](https://example.com/${encodeURIComponent(w)})`) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('[ref]', '[Ref][ref]', '[other][]', '<https://bud.studio>', 'https://example.com/x'),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '<b>bold</b>',
          '<span title="t">s</span>',
          '<em>open',
          '</div>',
          '<img src="https://x/y.png" alt="i">',
          '<a href="javascript:alert(1)">j</a>',
        ),
      },
      // an emphasis storm: delimiters the inline lexer must match against each other
      {
        weight: 1,
        arbitrary: fc
          .array(fc.constantFrom('*', '_', '**', 'a', ' ', '`'), { minLength: 10, maxLength: 400 })
          .map((a) => a.join('')),
      },
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(' '));

const indent = (text: string, by: string, first = by) =>
  text
    .split('\n')
    .map((l, i) => (l === '' ? l : (i === 0 ? first : by) + l))
    .join('\n');

/** Every run of lines between blank lines in the corpus documents, and pairs of them (what follows what matters). */
const CORPUS_PIECES = [
  ...new Set(
    CORPUS.flatMap((d) => {
      const parts = d.text.split(/\n\s*\n/);
      return [...parts, ...parts.slice(1).map((p, i) => `${parts[i]}\n\n${p}`)];
    }).filter((t) => t.trim() && t.length <= 600),
  ),
];

/** Blocks joined by one, two or three line breaks (or a line of spaces): blank lines decide what continues. */
const joined = (bs: fc.Arbitrary<string[]>) =>
  bs.chain((list) =>
    fc
      .array(fc.constantFrom('\n\n', '\n', '\n\n\n', '\n \n'), { minLength: list.length, maxLength: list.length })
      .map((seps) => list.map((b, i) => b + seps[i]).join('')),
  );

const tree = fc.letrec<{ block: string; blocks: string }>((tie) => ({
  blocks: joined(fc.array(tie('block'), { minLength: 1, maxLength: 3 })),
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: inline },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), inline).map(([n, t]) => `${'#'.repeat(n)} ${t}`) },
    { weight: 1, arbitrary: fc.tuple(inline, fc.constantFrom('===', '---')).map(([t, u]) => `${t}\n${u}`) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom('```', '~~~', '````'),
          fc.constantFrom('', 'ts', 'python', 'html'),
          fc.array(fc.oneof(words, fc.constant(''), fc.constant('```')), { maxLength: 5 }),
          fc.boolean(),
        )
        .map(([f, lang, lines, closed]) => `${f}${lang}\n${lines.join('\n')}${closed ? `\n${f}` : ''}`),
    },
    {
      weight: 1,
      arbitrary: fc.array(words, { minLength: 1, maxLength: 3 }).map((ls) => ls.map((l) => `    ${l}`).join('\n')),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 0, max: 3 }),
          fc.constantFrom('---', ':--', ':-:', '--:'),
        )
        .chain(([cols, rows, align]) =>
          fc
            .array(
              fc.array(
                inline.map((t) => t.replace(/\|/g, '\\|')),
                { minLength: cols, maxLength: cols },
              ),
              { minLength: rows + 1, maxLength: rows + 1 },
            )
            .map((cells) =>
              [cells[0], Array<string>(cols).fill(align), ...cells.slice(1)]
                .map((r) => `| ${r.join(' | ')} |`)
                .join('\n'),
            ),
        ),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom('-', '*', '1.', '2)', '- [ ]', '- [x]'),
          fc.array(tie('blocks'), { minLength: 1, maxLength: 3 }),
          fc.boolean(),
        )
        .map(([bullet, items, loose]) =>
          items
            .map((it) => indent(it.trimEnd(), ' '.repeat(bullet.length + 1), `${bullet} `))
            .join(loose ? '\n\n' : '\n'),
        ),
    },
    { weight: 1, arbitrary: tie('blocks').map((b) => indent(b.trimEnd(), '> ')) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '<div>\n*not markdown*\n</div>',
        '<details><summary>More</summary>\n\nInside **md**.\n\n</details>',
        '<!-- a comment\nthat never closes',
        '<pre>\n  kept  \n</pre>',
        '<script>alert(1)</script>',
        '<table><tr><td>x',
        '---',
        '***',
        '[ref]: https://example.com/ref "Title"',
        '[other]: <https://example.com/o>',
        '[ref]: https://example.com/r2\n  "A title on the next line"',
        "[Other]:\nhttps://example.com/o2\n'title'",
        "[ref]: https://example.com/r3\n'a title\nover two lines'",
        '[other]: https://example.com/o3\n"not a title',
      ),
    },
    // pieces of the hand-written corpus (the block boundaries that once broke the renderer), recombined
    { weight: 4, arbitrary: fc.constantFrom(...CORPUS_PIECES) },
    // deep nesting: the renderer clamps it (64 columns, 32 quotes) the same way streamed and whole
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.tuple(fc.integer({ min: 10, max: 50 }), words).map(([n, t]) => `${'>'.repeat(n)} ${t}`),
        fc
          .tuple(fc.integer({ min: 8, max: 40 }), words)
          .map(([n, t]) => Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}- ${t}`).join('\n')),
      ),
    },
  ),
}));

/**
 * A document: up to 8 top-level blocks, any of which may nest others. At most 1,000 characters: the open block is
 * rendered again at every frame, so a deeply nested 2,000-character block streamed 3 characters at a time takes
 * seconds, and the budget is better spent on more documents.
 */
const document_ = joined(fc.array(tree.block, { minLength: 1, maxLength: 8 })).map((d) => d.slice(0, 1000));

/**
 * A document, the sizes of the pieces it arrives in (used in turn, cycling), and whether a frame renders after
 * each piece (also cycling): small pieces and frequent frames reach the in-between states a stream goes through.
 */
const docAndCuts = fc.tuple(
  fc.tuple(document_, fc.boolean()).map(([d, crlf]) => (crlf ? d.replace(/\n/g, '\r\n') : d)),
  fc.constantFrom(3, 12, 60).chain((max) => fc.array(fc.integer({ min: 1, max }), { minLength: 1, maxLength: 64 })),
  fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }),
);

// ---- the property ----------------------------------------------------------------------------------------------

function wholeHtml(text: string): string {
  const el = document.createElement('div');
  renderMarkdown(el, text);
  return el.innerHTML;
}

function streamedHtml(text: string, sizes: number[], frames: boolean[]): string {
  const el = document.createElement('div');
  let due = null as FrameRequestCallback | null;
  const r = new IncrementalRenderer(el, {
    schedule: (cb) => ((due = cb), 1),
    cancel: () => (due = null),
    adaptive: false,
  });
  for (let at = 0, i = 0; at < text.length; i++) {
    const n = sizes[i % sizes.length];
    r.append(text.slice(at, at + n));
    at += n;
    if (frames[i % frames.length] && due) {
      const cb = due;
      due = null;
      cb(performance.now());
    }
  }
  r.finish();
  return el.innerHTML;
}

function slicedHtml(text: string, sliceChars: number): string {
  const el = document.createElement('div');
  const job = renderMarkdownSliced(el, text, sliceChars);
  while (!job.step(0)) {
    /* a slice per step */
  }
  return el.innerHTML;
}

function streamEqualsWhole(name: string, settings: ReturnType<typeof fuzzSettings>): RunSummary {
  const property = fc.property(docAndCuts, fc.integer({ min: 1, max: 400 }), ([doc, sizes, frames], slice) => {
    const whole = wholeHtml(doc);
    const streamed = streamedHtml(doc, sizes, frames);
    if (streamed !== whole)
      throw new Error(`streamed DOM differs from the whole render:\n  streamed: ${streamed}\n  whole:    ${whole}`);
    const sliced = slicedHtml(doc, slice);
    if (sliced !== whole)
      throw new Error(`sliced DOM differs from the whole render:\n  sliced: ${sliced}\n  whole:  ${whole}`);
  });
  const params = fuzzParameters(settings, (ms) => fc.interruptAfterTimeLimit(ms));
  const t0 = performance.now();
  const details = fc.check(property, params);
  return summarise(name, details, settings.budget.numRuns, performance.now() - t0, (d) => fc.defaultReportMessage(d));
}

const api = { streamEqualsWhole };
export type BudFuzzApi = typeof api;
(window as unknown as { budFuzz: BudFuzzApi }).budFuzz = api;
