// Renders media/icon.svg to media/icon.png (128×128, the marketplace icon) with headless Chromium,
// and a 96×96 preview of the activity-bar icon media/bud.svg (to test-results/, for a look only).
//   node scripts/render-icon.mjs
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  const svg = readFileSync('media/icon.svg', 'utf8');
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: 'media/icon.png', omitBackground: true });

  mkdirSync('test-results', { recursive: true });
  const bud = readFileSync('media/bud.svg', 'utf8').replace('width="24" height="24"', 'width="96" height="96"');
  await page.setViewportSize({ width: 240, height: 120 });
  await page.setContent(`<html><body style="margin:0;display:flex;gap:24px;padding:12px">
    <div style="background:#181818;color:#cccccc;padding:0">${bud}</div>
    <div style="background:#f3f3f3;color:#424242;padding:0">${bud}</div></body></html>`);
  await page.screenshot({ path: 'test-results/bud-svg-preview.png' });
} finally {
  await browser.close();
}
console.log('wrote media/icon.png');
