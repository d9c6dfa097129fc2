// The page's memory as the benchmarks report it: JS heap and DOM nodes after a forced garbage collection,
// read over the Chrome DevTools Protocol (`HeapProfiler.collectGarbage`, `Performance.getMetrics`).
import type { Page } from 'playwright-core';

export interface PageMemory {
  jsHeapUsedMB: number;
  domNodes: number;
}

export async function pageMemory(page: Page): Promise<PageMemory> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
    return { jsHeapUsedMB: Math.round((metric('JSHeapUsedSize') / 2 ** 20) * 100) / 100, domNodes: metric('Nodes') };
  } finally {
    await cdp.detach();
  }
}
