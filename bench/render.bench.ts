// Streaming render benchmark, in headless Chromium with the real (minified) webview renderer, side by side
// with the naive baseline (marked + DOMPurify + innerHTML of the whole text on every update, as Continue,
// Cline and Roo Code do). A synthetic ~100k-token answer (prose, lists, tables, 100 code blocks) is streamed:
//   - at full speed: a 256-token update every animation frame (~15,000 tokens/s at 60 Hz);
//   - at 2,000 tokens/s: a 32 ms timer delivers what the model would have sent by then (the host batcher).
// Measured in the page: render time (our render calls plus the style/layout they cause, forced right after),
// per-frame work (render time between two animation frames; p95/max over frames that rendered),
// animation-frame intervals, long tasks (PerformanceObserver 'longtask', > 50 ms), characters lexed/parsed,
// and at 2,000 tok/s the lag: characters (and ms) the screen trails what the model has sent, over time.
// The answer sits in the view's real structure (scrolling list, message, content) styled by dist/webview.css, so
// style and layout (and the containment of finished chunks) are in the numbers. Flatness is measured apart: the
// first and the last 4k tokens streamed at 2,000 tok/s, three fresh runs each, p95 over the pooled frames.
//
// Called by bench/run.mjs: `export default async function run(): Promise<Record<string, unknown>>`.
// Env: BUD_BENCH_TOKENS (default 100000), BUD_BENCH_NAIVE_CAP_S (wall cap for a naive run, default 90).
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT, bundle, closePage, launchBrowser, openPage } from '../test/browser/support';
import { pageMemory, type PageMemory } from './memory';
import { CHARS_PER_TOKEN, syntheticAnswer } from './synthetic-answer';
import type { BudTestApi } from '../test/browser/pages/renderer.page';

declare const budTest: BudTestApi;

interface StreamArgs {
  text: string;
  mode: 'ours' | 'naive';
  /** tokens per second, or 0 for full speed */
  rate: number;
  batchTokens: number;
  tickMs: number;
  charsPerToken: number;
  capMs: number;
  windowTokens: number;
  /** Stream only text[fromChar, toChar): text before fromChar is rendered first, untimed (a long answer so far). */
  fromChar?: number;
  toChar?: number;
}

export interface StreamResult {
  mode: string;
  completed: boolean;
  wallMs: number;
  renderMs: number;
  /** the part of renderMs spent in style/layout (forced right after each render) */
  layoutMs: number;
  updates: number;
  renders: number;
  charsParsed: number;
  framesWithWork: number;
  frameWorkP50: number;
  frameWorkP95: number;
  frameWorkMax: number;
  /** p95 of the script part of frame work (parse, sanitise, DOM calls), without style/layout */
  frameScriptP95: number;
  rafIntervalP95: number;
  rafIntervalMax: number;
  longTasks: number;
  longTaskMaxMs: number;
  p95Start: number;
  p95End: number;
  /** ours only: p95 of characters lexed per frame, near the start and near the end (load-independent flatness) */
  lexedPerFrameP95Start?: number;
  lexedPerFrameP95End?: number;
  lexedPerFrameMax?: number;
  lag?: {
    samples: number;
    firstTenthMeanChars: number;
    lastTenthMeanChars: number;
    maxChars: number;
    maxMs: number;
    finalMs: number;
  };
  /** windowed runs only: the work of every frame that rendered (for pooled percentiles over repetitions) */
  frameWorks?: number[];
  /** full-length runs: the page's JS heap and DOM nodes after the answer, after a forced GC */
  memory?: PageMemory;
}

/** Runs in the page. Self-contained (serialised by playwright). */
async function streamInPage(a: StreamArgs): Promise<StreamResult> {
  // The answer's place in the real view, styled by the real dist/webview.css (loaded with the page): the
  // scrolling list, the message, its content. Like the view, the list follows the answer to the bottom.
  const host = document.createElement('div');
  host.className = 'bud-chat';
  host.style.cssText = 'height: 100vh; width: 600px';
  host.innerHTML =
    '<div id="messages"><div class="messages-inner"><div class="message assistant" data-status="streaming">' +
    '<div class="message-header"><span class="author">Bud</span></div><div class="content"></div></div></div></div>';
  document.body.replaceChildren(host);
  const scroller = host.querySelector('#messages') as HTMLElement;
  const container = host.querySelector('.content') as HTMLElement;
  const pct = (xs: number[], p: number) => {
    if (!xs.length) return 0;
    const s = [...xs].sort((x, y) => x - y);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  };
  const longTasks: number[] = [];
  const po = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push(e.duration);
  });
  po.observe({ type: 'longtask' });

  let workSinceFrame = 0;
  /** ours: characters lexed by each frame's render, and how much text had arrived then */
  const lexedPerRender: { chars: number; received: number }[] = [];
  let renderMs = 0;
  let renders = 0;
  let charsParsed = 0;
  /** per frame: work done in the interval before it, and the text length received when it ran */
  const frames: { work: number; script: number; at: number; received: number }[] = [];
  const rafIntervals: number[] = [];
  let lastRaf = 0;
  let running = true;
  let received = 0;
  let scriptSinceFrame = 0;
  let layoutMs = 0;
  const measure = (fn: () => void) => {
    const t0 = performance.now();
    fn();
    const t1 = performance.now();
    scroller.scrollTop = scroller.scrollHeight; // include the style/layout the change causes, and follow it
    const t2 = performance.now();
    workSinceFrame += t2 - t0;
    scriptSinceFrame += t1 - t0;
    renderMs += t2 - t0;
    layoutMs += t2 - t1;
  };
  const frameLoop = (t: number) => {
    if (lastRaf) rafIntervals.push(t - lastRaf);
    lastRaf = t;
    frames.push({ work: workSinceFrame, script: scriptSinceFrame, at: t, received });
    workSinceFrame = 0;
    scriptSinceFrame = 0;
    if (running) requestAnimationFrame(frameLoop);
  };
  requestAnimationFrame(frameLoop);

  let renderedLength = () => 0;
  let deliver: (s: string) => void;
  let finish: () => void;
  if (a.mode === 'ours') {
    let lexed = () => 0;
    const r = new budTest.IncrementalRenderer(container, {
      schedule: (cb) =>
        requestAnimationFrame((t) => {
          const before = lexed();
          measure(() => cb(t));
          const d = lexed() - before;
          if (d > 0) lexedPerRender.push({ chars: d, received });
        }),
    });
    lexed = () => r.stats.charsLexed;
    deliver = (s) => measure(() => r.append(s));
    finish = () => measure(() => r.finish());
    renderedLength = () => r.renderedLength;
    const statsOf = () => r.stats;
    (window as unknown as { __stats: () => { charsLexed: number; renders: number } }).__stats = statsOf;
    (window as unknown as { __keep: unknown }).__keep = r; // what the view holds while the answer is shown
  } else {
    let text = '';
    let shown = 0;
    (window as unknown as { __keep: unknown }).__keep = () => text;
    deliver = (s) => {
      text += s;
      measure(() => budTest.renderNaive(container, text));
      renders++;
      charsParsed += text.length;
      shown = text.length;
    };
    finish = () => {};
    renderedLength = () => shown;
  }

  const text = a.text;
  const from = a.fromChar ?? 0;
  const end = a.toChar ?? text.length;
  const nextFrame = () => new Promise<void>((res) => requestAnimationFrame(() => res()));
  const statsNow = () =>
    a.mode === 'ours'
      ? { ...(window as unknown as { __stats: () => { charsLexed: number; renders: number } }).__stats() }
      : { charsLexed: 0, renders: 0 };
  let statsAtStart = statsNow();
  if (from > 0) {
    // the answer so far, rendered before the clock starts; then everything measured so far is forgotten
    deliver(text.slice(0, from));
    received = from;
    await nextFrame();
    await nextFrame();
    await new Promise((res) => setTimeout(res, 400)); // past the renderer's back-off after an expensive frame
    await nextFrame();
    renderMs = layoutMs = workSinceFrame = scriptSinceFrame = 0;
    frames.length = rafIntervals.length = lexedPerRender.length = longTasks.length = 0;
    charsParsed = 0;
    renders = 0;
    statsAtStart = statsNow();
  }
  const t0 = performance.now();
  let updates = 0;
  const lag: { t: number; chars: number }[] = [];
  let completed = true;
  if (a.rate === 0) {
    const step = a.batchTokens * a.charsPerToken;
    // one update per animation frame: as fast as the screen can show it
    for (let i = from; i < end; i += step) {
      await nextFrame();
      received = Math.min(end, i + step);
      deliver(text.slice(i, received));
      updates++;
      if (performance.now() - t0 > a.capMs) {
        completed = false;
        break;
      }
    }
  } else {
    const charsPerMs = (a.rate * a.charsPerToken) / 1000;
    await new Promise<void>((done) => {
      const tick = () => {
        const now = performance.now() - t0;
        const due = Math.min(end, from + Math.floor(now * charsPerMs));
        lag.push({ t: now, chars: due - renderedLength() });
        if (due > received) {
          deliver(text.slice(received, due));
          received = due;
          updates++;
        }
        if (received >= end) return done();
        if (now > a.capMs) {
          completed = false;
          return done();
        }
        setTimeout(tick, a.tickMs);
      };
      tick();
    });
  }
  finish();
  // let the last frame paint and the long-task observer report
  await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
  await new Promise((res) => setTimeout(res, 50));
  running = false;
  po.disconnect();
  const wallMs = performance.now() - t0;
  if (a.mode === 'ours') {
    const s = statsNow();
    charsParsed = s.charsLexed - statsAtStart.charsLexed;
    renders = s.renders - statsAtStart.renders;
  }
  const worked = frames.filter((f) => f.work > 0);
  const windowChars = a.windowTokens * a.charsPerToken;
  const startW = worked.filter((f) => f.received <= windowChars).map((f) => f.work);
  const endW = worked.filter((f) => f.received >= text.length - windowChars).map((f) => f.work);
  const round = (x: number) => Math.round(x * 100) / 100;
  const result: StreamResult = {
    mode: a.mode,
    completed,
    wallMs: round(wallMs),
    renderMs: round(renderMs),
    layoutMs: round(layoutMs),
    updates,
    renders,
    charsParsed,
    framesWithWork: worked.length,
    frameWorkP50: round(
      pct(
        worked.map((f) => f.work),
        50,
      ),
    ),
    frameWorkP95: round(
      pct(
        worked.map((f) => f.work),
        95,
      ),
    ),
    frameWorkMax: round(Math.max(0, ...worked.map((f) => f.work))),
    frameScriptP95: round(
      pct(
        worked.map((f) => f.script),
        95,
      ),
    ),
    rafIntervalP95: round(pct(rafIntervals, 95)),
    rafIntervalMax: round(Math.max(0, ...rafIntervals)),
    longTasks: longTasks.filter((d) => d > 50).length,
    longTaskMaxMs: round(Math.max(0, ...longTasks)),
    p95Start: round(pct(startW, 95)),
    p95End: round(pct(endW, 95)),
  };
  if (a.fromChar !== undefined || a.toChar !== undefined) result.frameWorks = worked.map((f) => round(f.work));
  if (lexedPerRender.length) {
    result.lexedPerFrameP95Start = pct(
      lexedPerRender.filter((f) => f.received <= windowChars).map((f) => f.chars),
      95,
    );
    result.lexedPerFrameP95End = pct(
      lexedPerRender.filter((f) => f.received >= text.length - windowChars).map((f) => f.chars),
      95,
    );
    result.lexedPerFrameMax = Math.max(...lexedPerRender.map((f) => f.chars));
  }
  if (lag.length) {
    const tenth = Math.max(1, Math.floor(lag.length / 10));
    const mean = (xs: { chars: number }[]) => xs.reduce((n, x) => n + x.chars, 0) / xs.length;
    const charsPerMs = (a.rate * a.charsPerToken) / 1000;
    const maxChars = Math.max(...lag.map((l) => l.chars));
    result.lag = {
      samples: lag.length,
      firstTenthMeanChars: round(mean(lag.slice(0, tenth))),
      lastTenthMeanChars: round(mean(lag.slice(-tenth))),
      maxChars,
      maxMs: round(maxChars / charsPerMs),
      finalMs: round(lag[lag.length - 1].chars / charsPerMs),
    };
  }
  return result;
}

const r2 = (x: number) => Math.round(x * 100) / 100;
/** Tokens in each window of the flatness measurement. */
const FLAT_WINDOW = 4_000;

export default async function run(): Promise<Record<string, unknown>> {
  const tokens = Number(process.env.BUD_BENCH_TOKENS ?? 100_000);
  const capMs = Number(process.env.BUD_BENCH_NAIVE_CAP_S ?? 90) * 1000;
  const text = syntheticAnswer(tokens, 100);
  const browser = await launchBrowser();
  const chromiumVersion = browser.version();
  try {
    const script = await bundle('test/browser/pages/renderer.page.ts', { minify: true });
    // the view's real stylesheet (containment of finished chunks included), as built by `npm run bench`
    const cssPath = path.join(ROOT, 'dist/webview.css');
    if (!existsSync(cssPath)) throw new Error('dist/webview.css missing: build first (npm run bench builds it)');
    const css = readFileSync(cssPath, 'utf8');
    const warmText = syntheticAnswer(3_000, 20, 99);
    const once = async (args: Omit<StreamArgs, 'text' | 'charsPerToken' | 'windowTokens'>): Promise<StreamResult> => {
      const page = await openPage(browser, { scripts: [script], css });
      try {
        // warm-up (JIT, highlight.js grammars), the same for both modes: steady state is what is compared
        await page.evaluate((t) => {
          const el = document.createElement('div');
          budTest.renderMarkdown(el, t);
          budTest.renderNaive(el, t);
        }, warmText);
        const result = await page.evaluate(streamInPage, {
          text,
          charsPerToken: CHARS_PER_TOKEN,
          windowTokens: 2_000,
          ...args,
        });
        if (args.fromChar === undefined && result.completed) result.memory = await pageMemory(page);
        return result;
      } finally {
        await closePage(page);
      }
    };
    const full = { rate: 0, batchTokens: 256, tickMs: 0 };
    const paced = { rate: 2000, batchTokens: 0, tickMs: 32 };
    const fullOurs = await once({ mode: 'ours', ...full, capMs: 600_000 });
    const fullNaive = await once({ mode: 'naive', ...full, capMs });
    const pacedOurs = await once({ mode: 'ours', ...paced, capMs: 600_000 });
    const pacedNaive = await once({ mode: 'naive', ...paced, capMs });
    // Flatness: the first and the last FLAT_WINDOW tokens of the answer streamed at 2,000 tok/s, each in a fresh
    // page (the last window after the rest of the answer was rendered, untimed), in the order S E E S S E so a
    // drift in machine load weighs on both; p95 over all frames of a kind, pooled across the repetitions.
    const windowChars = FLAT_WINDOW * CHARS_PER_TOKEN;
    const pooled: Record<'start' | 'end', number[]> = { start: [], end: [] };
    const perRun: { window: string; p95: number; longTasks: number }[] = [];
    let windowLongTasks = 0;
    for (const w of ['start', 'end', 'end', 'start', 'start', 'end'] as const) {
      const range =
        w === 'start'
          ? { fromChar: 0, toChar: windowChars }
          : { fromChar: text.length - windowChars, toChar: text.length };
      const r = await once({ mode: 'ours', ...paced, capMs: 600_000, ...range });
      pooled[w].push(...(r.frameWorks ?? []));
      perRun.push({ window: w, p95: r.frameWorkP95, longTasks: r.longTasks });
      windowLongTasks += r.longTasks;
    }
    const p95 = (xs: number[]) =>
      xs.length ? [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(0.95 * xs.length))] : NaN;
    const flatness = {
      windowTokens: FLAT_WINDOW,
      framesStart: pooled.start.length,
      framesEnd: pooled.end.length,
      p95Start: p95(pooled.start),
      p95End: p95(pooled.end),
      runs: perRun,
    };
    // When the naive run hits its wall-clock cap it has done less work than ours, so the ratio is a lower bound.
    const ratio = fullNaive.renderMs / fullOurs.renderMs;
    const ratioText = `${r2(ratio)}${fullNaive.completed ? '' : ` (at least: naive stopped at the ${capMs / 1000} s cap after ${fullNaive.updates} of ${fullOurs.updates} updates)`}`;
    const flat = flatness.p95Start > 0 ? flatness.p95End / flatness.p95Start : NaN;
    const lagGrowth = pacedOurs.lag ? pacedOurs.lag.lastTenthMeanChars - pacedOurs.lag.firstTenthMeanChars : NaN;
    const goals = {
      renderTimeRatioAtLeast20x: ratio >= 20,
      p95FrameAtMost8ms: pacedOurs.frameWorkP95 <= 8 && fullOurs.frameWorkP95 <= 8,
      flatRatioAtMost1_5: flat <= 1.5,
      noLongTaskOver50ms: pacedOurs.longTasks === 0 && fullOurs.longTasks === 0 && windowLongTasks === 0,
      // no growing lag: the mean lag over the last tenth of the run is within 50 ms of the first tenth's
      keepsPaceAt2000TokPerS: !!pacedOurs.lag && lagGrowth <= (2000 * CHARS_PER_TOKEN * 50) / 1000,
      // the renderer's state costs little beyond the text: the page's heap within 2x of the naive page's
      heapAtMost2xNaive:
        !!fullOurs.memory && !!fullNaive.memory && fullOurs.memory.jsHeapUsedMB <= 2 * fullNaive.memory.jsHeapUsedMB,
    };
    return {
      render: {
        chromium: chromiumVersion,
        answer: {
          chars: text.length,
          tokens: Math.round(text.length / CHARS_PER_TOKEN),
          codeBlocks: (text.match(/^```\w/gm) ?? []).length,
        },
        fullSpeed: { ours: fullOurs, naive: fullNaive },
        at2000TokPerS: { ours: pacedOurs, naive: pacedNaive },
        flatness,
        ratios: {
          totalRenderTimeNaiveOverOurs: r2(ratio),
          totalRenderTimeRatioIsLowerBound: !fullNaive.completed,
          charsParsedNaiveOverOurs: r2(fullNaive.charsParsed / fullOurs.charsParsed),
          p95FrameEndOverStart: r2(flat),
          p95FrameNaiveOverOursAt2000: r2(pacedNaive.frameWorkP95 / pacedOurs.frameWorkP95),
        },
        goals,
        goalMet: Object.values(goals).every(Boolean),
        summary: {
          'answer tokens / code blocks': `${Math.round(text.length / CHARS_PER_TOKEN)} / ${(text.match(/^```\w/gm) ?? []).length}`,
          'full speed: total render ms (ours / naive)': `${fullOurs.renderMs} / ${fullNaive.renderMs}${fullNaive.completed ? '' : ' (capped)'}`,
          'full speed: render time ratio naive/ours (goal >= 20)': ratioText,
          'full speed: chars parsed (ours / naive)': `${fullOurs.charsParsed} / ${fullNaive.charsParsed}`,
          'full speed: p95 / max frame work ms (ours)': `${fullOurs.frameWorkP95} / ${fullOurs.frameWorkMax}`,
          'full speed: p95 / max frame work ms (naive)': `${fullNaive.frameWorkP95} / ${fullNaive.frameWorkMax}`,
          'full speed: long tasks > 50 ms (ours / naive)': `${fullOurs.longTasks} / ${fullNaive.longTasks}`,
          'after the answer: JS heap MB / DOM nodes (ours; naive)': `${fullOurs.memory ? `${fullOurs.memory.jsHeapUsedMB} / ${fullOurs.memory.domNodes}` : 'n/a'}; ${fullNaive.memory ? `${fullNaive.memory.jsHeapUsedMB} / ${fullNaive.memory.domNodes}` : 'n/a (capped)'}`,
          '2000 tok/s: total render ms (ours / naive)': `${pacedOurs.renderMs} / ${pacedNaive.renderMs}${pacedNaive.completed ? '' : ' (capped)'}`,
          '2000 tok/s: p95 / max frame work ms (ours, goal p95 <= 8)': `${pacedOurs.frameWorkP95} / ${pacedOurs.frameWorkMax}`,
          '2000 tok/s: p95 frame script ms without layout (ours / naive)': `${pacedOurs.frameScriptP95} / ${pacedNaive.frameScriptP95}`,
          '2000 tok/s: share of render time in style/layout (ours / naive)': `${r2((100 * pacedOurs.layoutMs) / pacedOurs.renderMs)}% / ${r2((100 * pacedNaive.layoutMs) / pacedNaive.renderMs)}%`,
          '2000 tok/s: p95 / max frame work ms (naive)': `${pacedNaive.frameWorkP95} / ${pacedNaive.frameWorkMax}`,
          [`2000 tok/s: p95 frame work, first vs last ${FLAT_WINDOW / 1000}k of 100k tokens, 3 runs each (ours)`]: `${flatness.p95Start} vs ${flatness.p95End} ms (ratio ${r2(flat)}, goal <= 1.5)`,
          '2000 tok/s: long tasks > 50 ms in those 6 runs (ours)': windowLongTasks,
          '2000 tok/s: p95 chars lexed per frame near 1k vs 100k tokens (ours)': `${pacedOurs.lexedPerFrameP95Start} vs ${pacedOurs.lexedPerFrameP95End}`,
          '2000 tok/s: long tasks > 50 ms (ours / naive)': `${pacedOurs.longTasks} / ${pacedNaive.longTasks}`,
          '2000 tok/s: lag first 10% / last 10% / max ms (ours)': pacedOurs.lag
            ? `${r2(pacedOurs.lag.firstTenthMeanChars / 8)} / ${r2(pacedOurs.lag.lastTenthMeanChars / 8)} / ${pacedOurs.lag.maxMs}`
            : 'n/a',
          '2000 tok/s: lag first 10% / last 10% / max ms (naive)': pacedNaive.lag
            ? `${r2(pacedNaive.lag.firstTenthMeanChars / 8)} / ${r2(pacedNaive.lag.lastTenthMeanChars / 8)} / ${pacedNaive.lag.maxMs}`
            : 'n/a',
          'goals met': Object.entries(goals)
            .map(([k, v]) => `${k}=${v ? 'yes' : 'NO'}`)
            .join(', '),
        },
      },
    };
  } finally {
    await browser.close();
  }
}

if (require.main === module) {
  run().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
