// Property of the incremental Markdown renderer, in Chromium: a generated document (nested lists and quotes,
// unclosed fences and HTML comments, raw HTML, tables, emphasis storms, reference links defined late, CRLF, deep
// nesting) cut at random points and streamed with frames at random moments ends in exactly the DOM of rendering
// the whole text; so does the sliced render used for restored messages. fast-check runs inside the page
// (pages/renderProperty.page.ts) on the real renderer; this side picks the seed, records the run and fails with
// fast-check's report.
import type { Browser, Page } from 'playwright-core';
import { failureMessage, fuzzSettings } from '../unit/fuzz/conventions';
import { recordRun, sourceOf } from '../unit/fuzz/property';
import type { BudFuzzApi } from './pages/renderProperty.page';
import { bundle, closePage, launchBrowser, openPage } from './support';

declare const budFuzz: BudFuzzApi;

const NAME = 'renderer: a document streamed in any pieces renders to the same DOM as the whole text';
const BUDGET = { numRuns: 200, timeLimitMs: 20_000 };

describe('markdown renderer property (fast-check, in Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchBrowser();
    page = await openPage(browser, { scripts: [await bundle('test/browser/pages/renderProperty.page.ts')] });
  });
  after(async () => {
    if (page) await closePage(page);
    if (browser) await browser.close();
  });

  it(NAME, async function () {
    const settings = fuzzSettings(BUDGET, process.env);
    this.timeout(settings.budget.timeLimitMs + 60_000);
    const summary = await page.evaluate(({ name, s }) => budFuzz.streamEqualsWhole(name, s), {
      name: NAME,
      s: settings,
    });
    recordRun({ ...summary, layer: 'browser', file: sourceOf(this.test?.file), at: new Date().toISOString() });
    if (summary.failed) throw new Error(failureMessage(summary, 'browser'));
  });
});
