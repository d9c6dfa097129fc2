// The incremental Markdown renderer in Chromium: streaming any document in any pieces ends in exactly the DOM
// that rendering the whole text gives; finished blocks are not parsed again; code blocks get their toolbar
// and highlighting once closed; model HTML cannot load anything or run anything.
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { CORPUS } from './markdownCorpus';
import { bundle, closePage, launchBrowser, openPage } from './support';
import type { BudTestApi } from './pages/renderer.page';

declare const budTest: BudTestApi;

describe('markdown renderer (browser)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let page: Page & { blocked: string[] };

  before(async () => {
    browser = await launchBrowser();
    page = await openPage(browser, { scripts: [await bundle('test/browser/pages/renderer.page.ts')] });
  });
  after(async () => {
    if (page) await closePage(page);
    if (browser) await browser.close();
  });

  it(`has a corpus of at least 20 documents`, () => {
    assert.ok(CORPUS.length >= 20, `corpus has ${CORPUS.length}`);
  });

  for (const doc of CORPUS) {
    it(`streams "${doc.name}" in random pieces to the same DOM as rendering it whole (6 seeds)`, async () => {
      const results = await page.evaluate(
        ({ text, seeds }) => {
          function rng(seed: number): () => number {
            let a = seed >>> 0;
            return () => {
              a = (a + 0x6d2b79f5) >>> 0;
              let t = a;
              t = Math.imul(t ^ (t >>> 15), t | 1);
              t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
              return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
            };
          }
          const whole = document.createElement('div');
          budTest.renderMarkdown(whole, text);
          const out: { seed: number; equal: boolean; got: string; want: string; renders: number }[] = [];
          for (const seed of seeds) {
            const rand = rng(seed);
            const el = document.createElement('div');
            const { r, flush } = budTest.createManualRenderer(el);
            let i = 0;
            const maxPiece = seed % 3 === 0 ? 3 : seed % 3 === 1 ? 12 : 60;
            while (i < text.length) {
              const n = 1 + Math.floor(rand() * maxPiece);
              r.append(text.slice(i, i + n));
              i += n;
              if (rand() < 0.6) flush();
            }
            r.finish();
            out.push({
              seed,
              equal: el.innerHTML === whole.innerHTML,
              got: el.innerHTML,
              want: whole.innerHTML,
              renders: r.stats.renders,
            });
          }
          return out;
        },
        { text: doc.text, seeds: [1, 2, 3, 17, 42, 1234] },
      );
      for (const r of results) {
        assert.ok(r.renders > 1 || doc.text.length < 10, `seed ${r.seed} rendered incrementally`);
        assert.equal(r.got, r.want, `seed ${r.seed}: streamed DOM differs from the whole render`);
      }
    });
  }

  it('puts a long answer into chunks of at most 96 top-level nodes, streamed, sliced and whole alike', async () => {
    const res = await page.evaluate(() => {
      const parts: string[] = [];
      for (let i = 0; i < 300; i++) {
        if (i % 25 === 0) parts.push(`## Section ${i}\n\n`);
        parts.push(
          i % 40 === 7
            ? '```js\nlet a = ' + i + ';\n```\n\n'
            : i % 30 === 3
              ? `- item ${i}\n- see [ref]\n\n`
              : `Paragraph ${i} with *text* and [ref].\n\n`,
        );
        // a definition arriving late changes blocks already committed (possibly their node count)
        if (i === 250) parts.push('[ref]: https://example.com/r\n\n');
      }
      const text = parts.join('');
      const whole = document.createElement('div');
      budTest.renderMarkdown(whole, text);
      const el = document.createElement('div');
      const { r, flush } = budTest.createManualRenderer(el);
      for (let i = 0; i < text.length; i += 37) {
        r.append(text.slice(i, i + 37));
        if (i % 3 === 0) flush();
      }
      r.finish();
      const sliced = document.createElement('div');
      sliced.textContent = 'placeholder';
      const job = budTest.renderMarkdownSliced(sliced, text, 200);
      let steps = 1;
      while (!job.step(0)) steps++;
      const chunks = Array.from(whole.children);
      return {
        equal: el.innerHTML === whole.innerHTML,
        slicedEqual: sliced.innerHTML === whole.innerHTML,
        steps,
        chunkCount: chunks.length,
        allChunks: chunks.every((c) => c.className === 'md-chunk') && whole.childNodes.length === chunks.length,
        sizes: chunks.map((c) => c.childNodes.length),
        links: whole.querySelectorAll('a[href="https://example.com/r"]').length,
      };
    });
    assert.ok(res.equal, 'streamed DOM equals the whole render');
    assert.ok(res.slicedEqual, 'sliced render equals the whole render');
    assert.ok(res.steps > 10, `sliced render took ${res.steps} steps`);
    assert.ok(res.allChunks, 'every top-level node is a chunk');
    assert.ok(res.chunkCount >= 5, `${res.chunkCount} chunks`);
    assert.ok(
      res.sizes.slice(0, -1).every((n) => n === 96) && res.sizes[res.sizes.length - 1] <= 96,
      `chunk sizes ${res.sizes}`,
    );
    assert.ok(res.links >= 300 / 30, 'late link definition applied to earlier blocks');
  });

  it('streams through the real animation-frame scheduler: coalesced renders, same DOM at the end', async () => {
    const res = await page.evaluate(async () => {
      const text =
        Array.from({ length: 40 }, (_, i) => `Paragraph ${i} with *text*.\n\n`).join('') + '```ts\nconst x = 1;\n```\n';
      const el = document.createElement('div');
      document.body.appendChild(el);
      const r = budTest.createStreamingRenderer(el);
      let frames = 0;
      for (let i = 0; i < text.length; i += 7) {
        r.append(text.slice(i, i + 7));
        if (i % 70 === 0) {
          await new Promise((res) => requestAnimationFrame(() => res(null)));
          frames++;
        }
      }
      const beforeFinish = { renders: r.stats.renders, shown: el.textContent?.length ?? 0 };
      r.finish();
      const whole = document.createElement('div');
      budTest.renderMarkdown(whole, text);
      el.remove();
      return {
        frames,
        beforeFinish,
        equal: el.innerHTML === whole.innerHTML,
        appends: Math.ceil(text.length / 7),
        text: r.text === text,
      };
    });
    assert.ok(
      res.beforeFinish.renders <= res.frames + 1,
      `renders ${res.beforeFinish.renders} <= frames ${res.frames} + 1`,
    );
    assert.ok(res.beforeFinish.renders >= 1, 'rendered while streaming');
    assert.ok(res.beforeFinish.shown > 0, 'text visible before finish');
    assert.ok(res.equal, 'final DOM equals whole render');
    assert.ok(res.text, '`text` is everything appended');
  });

  it('parses finished blocks once: characters lexed stay near the text length, unlike re-parsing the whole text', async () => {
    const res = await page.evaluate(() => {
      const blocks: string[] = [];
      for (let i = 0; i < 200; i++) {
        blocks.push(
          i % 10 === 0
            ? `\`\`\`js\nconsole.log(${i});\n\`\`\`\n\n`
            : i % 7 === 0
              ? `- item ${i}\n- item ${i}b\n\n`
              : `Paragraph ${i} with some words in it and **bold**.\n\n`,
        );
      }
      const text = blocks.join('');
      const el = document.createElement('div');
      const { r, flush } = budTest.createManualRenderer(el);
      let naiveChars = 0;
      for (let i = 0; i < text.length; i += 20) {
        r.append(text.slice(i, i + 20));
        flush();
        naiveChars += Math.min(text.length, i + 20);
      }
      r.finish();
      return {
        lexed: r.stats.charsLexed,
        naiveChars,
        length: text.length,
        blocksRendered: r.stats.blocksRendered,
        renders: r.stats.renders,
      };
    });
    // each frame lexes only the open tail: at most about two of these ~55-char blocks
    assert.ok(
      res.lexed <= res.length + res.renders * 150,
      `lexed ${res.lexed} chars for a ${res.length}-char text in ${res.renders} renders`,
    );
    assert.ok(res.lexed * 20 < res.naiveChars, `lexed ${res.lexed} vs naive ${res.naiveChars}`);
    // each of the ~200 blocks is rendered final once, plus at most one open-block render per frame
    assert.ok(
      res.blocksRendered <= 200 + 2 * res.renders,
      `blocks rendered ${res.blocksRendered}, renders ${res.renders}`,
    );
  });

  it('shows an open code block as plain text without buttons, then highlights it and adds the toolbar once closed', async () => {
    const res = await page.evaluate(() => {
      const el = document.createElement('div');
      const { r, flush } = budTest.createManualRenderer(el);
      r.append('Intro\n\n```ts\nconst a: number = 1;\n');
      flush();
      const open = {
        buttons: el.querySelectorAll('.code-block button').length,
        hljs: el.querySelectorAll('.code-block .hljs-keyword').length,
        text: el.querySelector('.code-block code')?.textContent,
      };
      r.append('```\n');
      flush();
      const closed = {
        actions: Array.from(el.querySelectorAll('.code-block .code-toolbar button')).map(
          (b) =>
            `${b.getAttribute('data-code-action')}|${b.getAttribute('aria-label')}|${b.querySelector('.codicon')?.className}`,
        ),
        hljs: el.querySelectorAll('.code-block code.hljs.language-ts .hljs-keyword').length,
        lang: el.querySelector('.code-block')?.getAttribute('data-lang'),
      };
      r.finish();
      return { open, closed };
    });
    assert.equal(res.open.buttons, 0);
    assert.equal(res.open.hljs, 0);
    assert.equal(res.open.text, 'const a: number = 1;');
    assert.deepEqual(res.closed.actions, [
      'copy|Copy code|codicon codicon-copy',
      'insert|Insert at cursor|codicon codicon-insert',
      'open|Open in new editor|codicon codicon-go-to-file',
    ]);
    assert.ok(res.closed.hljs >= 1, 'keywords highlighted');
    assert.equal(res.closed.lang, 'ts');
  });

  it('shows inline text that would take the Markdown parser minutes (1 MB of *a*a…) as plain text, and the rest as Markdown', async () => {
    const res = await page.evaluate(() => {
      const el = document.createElement('div');
      const hostile = '*a'.repeat(500_000);
      // a long ordinary paragraph (~17 KB) with bold and emphasis stays within the budget
      const prose = 'Some **bold** words and _emphasis_ here, then <b>raw</b> text. '.repeat(270);
      const t0 = performance.now();
      budTest.renderMarkdown(el, `# Title **b**\n\n${hostile}\n\n${prose}\n\n- item with **bold**\n`);
      const ms = performance.now() - t0;
      const ps = el.querySelectorAll('p');
      return {
        ms,
        paragraphs: ps.length,
        hostileShownWhole: ps[0].textContent === hostile,
        hostileElements: ps[0].querySelectorAll('*').length,
        proseStrong: ps[1].querySelectorAll('strong').length,
        proseEm: ps[1].querySelectorAll('em').length,
        heading: el.querySelector('h1 strong')?.textContent,
        item: el.querySelector('li strong')?.textContent,
      };
    });
    assert.equal(res.paragraphs, 2);
    assert.ok(res.hostileShownWhole, 'the delimiter run is shown as the text it is');
    assert.equal(res.hostileElements, 0, 'no emphasis parsed in it');
    assert.equal(res.proseStrong, 270, 'ordinary long paragraphs keep their bold');
    assert.equal(res.proseEm, 270);
    assert.equal(res.heading, 'b');
    assert.equal(res.item, 'bold');
    // not a speed target (that is npm run bench): without the budget this took minutes
    assert.ok(res.ms < 20_000, `rendered in ${Math.round(res.ms)} ms`);
  });

  it("lexes every corpus document exactly as marked's own Lexer.lex does (the budget changes nothing there)", async () => {
    const diffs = await page.evaluate(
      (docs) =>
        docs
          .filter((d) => {
            const r = budTest.lexBoth(d.text);
            return r.ours !== r.marked;
          })
          .map((d) => d.name),
      CORPUS,
    );
    assert.deepEqual(diffs, []);
  });

  it('applies the inline budget per block, the same streamed as whole: what is over it shows as plain text', async () => {
    const res = await page.evaluate(() => {
      const text = [
        'Intro with **bold**.',
        '',
        '*a'.repeat(6_000),
        '',
        // three items of 6,000 characters: the first two fit the list's budget, the third does not
        `- one ${'*b'.repeat(3_000)}`,
        `- two ${'*b'.repeat(3_000)}`,
        `- three ${'*b'.repeat(3_000)} and **bold**`,
        '',
        '| col | other |',
        '|---|---|',
        `| ${'_c'.repeat(3_000)} | **ok** |`,
        '',
        'Outro with _emphasis_.',
        '',
      ].join('\n');
      const whole = document.createElement('div');
      budTest.renderMarkdown(whole, text);
      const equal: boolean[] = [];
      for (const piece of [700, 1300, 2900]) {
        const el = document.createElement('div');
        const { r, flush } = budTest.createManualRenderer(el);
        for (let i = 0; i < text.length; i += piece) {
          r.append(text.slice(i, i + piece));
          flush();
        }
        r.finish();
        equal.push(el.innerHTML === whole.innerHTML);
      }
      const items = Array.from(whole.querySelectorAll('li'));
      return {
        equal,
        intro: whole.querySelector('p strong')?.textContent,
        plainParagraph: whole.querySelectorAll('p')[1].querySelectorAll('*').length,
        itemElements: items.map((li) => li.querySelectorAll('em, strong').length),
        lastItemText: items[2]?.textContent?.endsWith('and **bold**'),
        cellOk: whole.querySelector('td strong')?.textContent,
        outro: whole.querySelector('p:last-of-type em')?.textContent,
      };
    });
    assert.deepEqual(res.equal, [true, true, true], 'streamed in 700, 1,300 and 2,900-character pieces = whole');
    assert.equal(res.intro, 'bold');
    assert.equal(res.plainParagraph, 0, 'the 12 KB `*a*a…` paragraph is plain text');
    assert.ok(
      res.itemElements[0] > 0 && res.itemElements[1] > 0,
      `the first two items are Markdown (${res.itemElements})`,
    );
    assert.equal(res.itemElements[2], 0, 'the third item is over the budget of its list');
    assert.ok(res.lastItemText, 'and shows its text as written');
    assert.equal(res.cellOk, 'ok');
    assert.equal(res.outro, 'emphasis');
  });

  it('keeps only http/https/mailto links, strips target, never loads remote images, runs no script', async () => {
    const res = await page.evaluate(async () => {
      (window as unknown as { pwned: number }).pwned = 0;
      const el = document.createElement('div');
      document.body.appendChild(el);
      budTest.renderMarkdown(
        el,
        [
          '[a](https://ok.example/a) [b](http://ok.example/b) [m](mailto:x@y.z) [j](javascript:window.pwned=1) [v](vbscript:x) [d](data:text/html,hi) [f](file:///etc/passwd) [r](./rel)',
          '',
          '![img](https://evil.example/track.png) ![](http://evil.example/t2.png) ![ok](data:image/png;base64,iVBORw0KGgo=)',
          '',
          '<a href="https://ok.example/t" target="_blank" rel="opener">t</a> <img src=x onerror="window.pwned=2"> <img srcset="https://evil.example/s.png 1x">',
          '',
          '<script>window.pwned=3</script><iframe src="https://evil.example/"></iframe><style>body{background:url(https://evil.example/bg)}</style>',
          '',
          '<div style="background:url(https://evil.example/bg2)" id="input" class="message assistant code-block">styled</div>',
          '',
          '<form action="https://evil.example/"><button data-code-action="insert">Insert</button><input type="image" src="https://evil.example/i.png"></form>',
          '',
          '<svg><image href="https://evil.example/svg.png"/></svg><table background="https://evil.example/tb.png"><tr><td>x</td></tr></table>',
        ].join('\n'),
      );
      await new Promise((r) => setTimeout(r, 200));
      const links = Array.from(el.querySelectorAll('a')).map((a) => `${a.textContent}=${a.getAttribute('href')}`);
      const out = {
        links,
        targets: el.querySelectorAll('[target]').length,
        imgs: Array.from(el.querySelectorAll('img')).map((i) => i.getAttribute('src')),
        pwned: (window as unknown as { pwned: number }).pwned,
        forbidden: el.querySelectorAll(
          'script,iframe,style,form,button,input,svg,[style],[id],[onerror],[srcset],[background]',
        ).length,
        classes: Array.from(el.querySelectorAll('[class]'))
          .filter((e) => !(e.parentElement === el && e.className === 'md-chunk'))
          .map((e) => e.className),
        text: el.textContent ?? '',
      };
      el.remove();
      return out;
    });
    await sleep(100);
    assert.equal(res.pwned, 0, 'no script ran');
    assert.deepEqual(page.blocked, [], 'no request left the page');
    assert.equal(res.targets, 0);
    assert.equal(res.forbidden, 0);
    assert.deepEqual(res.imgs, ['data:image/png;base64,iVBORw0KGgo=']);
    assert.ok(res.links.includes('a=https://ok.example/a'));
    assert.ok(res.links.includes('b=http://ok.example/b'));
    assert.ok(res.links.includes('m=mailto:x@y.z'));
    assert.ok(
      res.links.includes('img=https://evil.example/track.png'),
      'remote image becomes a link with its alt text',
    );
    for (const l of res.links) assert.match(l, /=(https?:|mailto:|null$)/, `unsafe link kept: ${l}`);
    assert.deepEqual(res.classes, [], 'model HTML cannot borrow app classes');
    assert.ok(res.text.includes('styled'));
  });
});
