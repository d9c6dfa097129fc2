// Whole-browser cost of a streaming answer, in the real view: code-server with the built extension, Chromium on
// the workbench, the answer streamed by the local server at 2,000 tokens/s through the real path (SSE → extension
// host and its batching → workbench → the chat webview's iframe, real stylesheet). For each run: CPU time of every
// browser process (/proc: utime + stime of the browser, renderer, GPU and utility processes), code-server's and the
// extension host's, and the page's CDP Performance.getMetrics (script, style, layout, task durations).
//
// Three ways of showing the same answer, interleaved and repeated (the machine is shared): 'ours' (the view as
// shipped), 'throttled' (the answer re-rendered in full every 50 ms, marked + DOMPurify + innerHTML, as Continue and
// VS Code's chat do) and 'floor' (the server holds the text back and sends it whole at the end: the view renders it
// once; the workbench idles meanwhile). Sizes: 5k, 20k and 100k tokens. Medians and min–max are reported.
// One traced run of 'ours' and 'floor' at 20k shows where the time goes (bench/traceSummary.ts). Then, in a seeded
// 1,000-message chat: Enter → request on the wire, and first text at the server → first text painted.
//
// Env: BUD_BENCH_BROWSER_TOKENS (default "5000,20000,100000"), BUD_BENCH_BROWSER_REPS (3),
// BUD_BENCH_BROWSER_FIRST (first-token samples, 60: the p95 of 20 would be their slowest), BUD_BENCH_BROWSER_TRACE=0 skips the traced runs,
// BUD_BENCH_BROWSER_THROTTLED_MAX (largest size the throttled reference runs at more than once, 20000),
// BUD_BENCH_BROWSER_THROTTLED_CAP_MS (the least time before a throttled run is cut and measured as it stands, 60000),
// BUD_BENCH_BROWSER_MODES (default "ours,throttled,floor"), BUD_BENCH_BROWSER_TRACE_DIR (write the raw traces there, to open in DevTools' Performance panel).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticAnswer, CHARS_PER_TOKEN } from './synthetic-answer';
import { BenchSession, type FirstTokenSample, type StreamMode, type StreamRun } from './browserSession';
import { startTrace } from './cdpTrace';
import { summariseTrace, type TraceSummary } from './traceSummary';

const RATE = 2000;
const ALL_MODES: StreamMode[] = ['ours', 'throttled', 'floor'];
const SEEDED_TITLE = 'Seeded chat of 1000 messages';

/**
 * When a run is cut and measured as it stands (a lower bound of its cost). The throttled reference re-renders the
 * whole answer back to back once a render takes longer than 50 ms, so its cost grows with the square of the answer
 * and on a loaded machine it can trail the stream by minutes (at 100k it had not finished after 10 minutes): it is
 * cut 30 s after the stream's end (at least 60 s after Enter) and reported as "≥".
 */
const capOf = (mode: StreamMode, streamMs: number) =>
  mode === 'throttled' ? Math.max(THROTTLED_CAP_MS, streamMs + 30_000) : Math.max(60_000, 4 * streamMs);
const THROTTLED_CAP_MS = Number(process.env.BUD_BENCH_BROWSER_THROTTLED_CAP_MS ?? 60_000);

const r2 = (x: number) => Math.round(x * 100) / 100;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(0.95 * xs.length))];

function seededChat(): { id: string; json: string } {
  const now = Date.now();
  const messages = Array.from({ length: 1000 }, (_, i) => ({
    id: `m${i}`,
    role: i % 2 === 0 ? 'user' : 'assistant',
    content:
      i % 2 === 0 ? `Question number ${i / 2}` : `Answer number ${(i - 1) / 2} with **bold** and \`code\`.\n\n- a\n- b`,
    status: 'complete',
    createdAt: now - (1000 - i) * 1000,
  }));
  const id = 'seeded-1000-messages';
  return {
    id,
    json: JSON.stringify({ version: 1, id, title: SEEDED_TITLE, createdAt: now - 2e6, updatedAt: now - 1e6, messages }),
  };
}

type Run = StreamRun;

interface Cell {
  runs: number;
  completed: boolean;
  browserMs: number;
  browserMsMin: number;
  browserMsMax: number;
  byKind: Record<string, number>;
  codeServerMs: number;
  extHostMs: number;
  metrics: Record<string, number>;
  wallMs: number;
  deltas: number;
  domUpdates: number;
  lag?: { firstTenthMs: number; lastTenthMs: number; maxMs: number };
  longTasks: number;
  loadAverage: number;
}

function cell(runs: Run[]): Cell {
  const med = (f: (r: Run) => number) => Math.round(median(runs.map(f)));
  const keysOf = (o: Record<string, number>) => Object.keys(o);
  const lagged = runs.filter((r) => r.lag);
  return {
    runs: runs.length,
    completed: runs.every((r) => r.completed),
    browserMs: med((r) => r.cpu.browserMs),
    browserMsMin: Math.min(...runs.map((r) => r.cpu.browserMs)),
    browserMsMax: Math.max(...runs.map((r) => r.cpu.browserMs)),
    byKind: Object.fromEntries(keysOf(runs[0].cpu.byKind).map((k) => [k, med((r) => r.cpu.byKind[k as 'gpu'])])),
    codeServerMs: med((r) => r.cpu.codeServerMs),
    extHostMs: med((r) => r.cpu.extHostMs),
    metrics: Object.fromEntries(
      keysOf(runs[0].cpu.metrics).map((k) => [k, med((r) => r.cpu.metrics[k as 'TaskDuration'])]),
    ),
    wallMs: med((r) => r.wallMs),
    deltas: med((r) => r.deltas),
    domUpdates: med((r) => r.domUpdates),
    lag: lagged.length
      ? {
          firstTenthMs: median(lagged.map((r) => r.lag!.firstTenthMs)),
          lastTenthMs: median(lagged.map((r) => r.lag!.lastTenthMs)),
          maxMs: Math.max(...lagged.map((r) => r.lag!.maxMs)),
        }
      : undefined,
    longTasks: Math.max(...runs.map((r) => r.longTasks)),
    loadAverage: r2(median(runs.map((r) => r.cpu.loadAverage))),
  };
}

const frameLabel = (url: string) =>
  /vscode-resource|\/pre\/fake\.html/.test(url)
    ? 'webview (the chat)'
    : /\/pre\/index\.html/.test(url)
      ? 'webview host frame'
      : /workbench|\/vs\/code\/browser|\?folder=/.test(url)
        ? 'workbench'
        : url.startsWith('blob:')
          ? 'workbench (blob)'
          : url.slice(0, 60);

export default async function run(): Promise<Record<string, unknown>> {
  const sizes = (process.env.BUD_BENCH_BROWSER_TOKENS ?? '5000,20000,100000').split(',').map(Number);
  const reps = Number(process.env.BUD_BENCH_BROWSER_REPS ?? 3);
  const firstSamples = Number(process.env.BUD_BENCH_BROWSER_FIRST ?? 60);
  const throttledMax = Number(process.env.BUD_BENCH_BROWSER_THROTTLED_MAX ?? 20000);
  const modes = (process.env.BUD_BENCH_BROWSER_MODES ?? ALL_MODES.join(',')).split(',') as StreamMode[];
  const texts = new Map(sizes.map((n) => [n, syntheticAnswer(n, Math.max(1, Math.round(n / 1000)))]));
  const session = await BenchSession.open([seededChat()]);
  const runs: Run[] = [];
  const traces: Record<string, TraceSummary> = {};
  const first: FirstTokenSample[] = [];
  try {
    // interleaved: every repetition runs every size and mode, the order of modes rotating
    for (let rep = 0; rep < reps; rep++) {
      for (const tokens of sizes) {
        for (let k = 0; k < modes.length; k++) {
          const mode = modes[(k + rep) % modes.length];
          if (mode === 'throttled' && tokens > throttledMax && runs.some((r) => r.mode === mode && r.tokens === tokens))
            continue;
          const streamMs = (tokens / RATE) * 1000;
          await session.newChat();
          const r = await session.stream({
            mode,
            text: texts.get(tokens)!,
            tokensPerSecond: RATE,
            capMs: capOf(mode, streamMs),
          });
          const { probe: _probe, serverProgress: _progress, ...kept } = r;
          runs.push(kept);
          console.log(
            `bench: browser ${tokens} tokens ${mode}: browser ${r.cpu.browserMs} ms CPU, code-server ${r.cpu.codeServerMs} ms, wall ${r.wallMs} ms, ${r.deltas} deltas, ${r.domUpdates} DOM updates${r.completed ? '' : ' (cut at the cap)'}, load ${r.cpu.loadAverage}`,
          );
        }
      }
    }
    if (process.env.BUD_BENCH_BROWSER_TRACE !== '0') {
      const tokens = sizes.includes(20000) ? 20000 : sizes[0];
      for (const mode of ['ours', 'floor'] as const) {
        await session.newChat();
        const recorder = await startTrace(session.wb.browser);
        await session.stream({
          mode,
          text: texts.get(tokens) ?? syntheticAnswer(tokens, 20),
          tokensPerSecond: RATE,
          capMs: 120_000,
        });
        const events = await recorder.stop();
        if (process.env.BUD_BENCH_BROWSER_TRACE_DIR)
          writeFileSync(
            join(process.env.BUD_BENCH_BROWSER_TRACE_DIR, `trace-${mode}-${tokens}.json`),
            JSON.stringify(events),
          );
        traces[`${mode} ${tokens}`] = summariseTrace(events, { frameLabel });
      }
    }
    await session.openSavedChat(SEEDED_TITLE, 1000);
    const short = syntheticAnswer(60, 1, 3);
    for (let i = 0; i < firstSamples; i++) first.push(await session.firstToken(short));
  } finally {
    await session.close();
  }
  return { browser: report(runs, sizes, traces, first) };
}

function report(runs: Run[], sizes: number[], traces: Record<string, TraceSummary>, first: FirstTokenSample[]) {
  const cells: Record<string, Record<string, Cell>> = {};
  for (const n of sizes) {
    cells[n] = {};
    for (const m of ALL_MODES) {
      const rs = runs.filter((r) => r.tokens === Math.round(n) && r.mode === m);
      if (rs.length) cells[n][m] = cell(rs);
    }
  }
  const at = (n: number, m: StreamMode) => cells[n]?.[m]?.browserMs ?? NaN;
  const ratioThrottled20k = at(20000, 'throttled') / at(20000, 'ours');
  const ratioFloor20k = at(20000, 'ours') / at(20000, 'floor');
  const growth20vs5 = at(20000, 'ours') / at(5000, 'ours');
  const growth100vs20 = at(100000, 'ours') / at(20000, 'ours');
  const enter = first.map((s) => s.enterToWireMs).filter(Number.isFinite);
  const paint = first.map((s) => s.firstByteToPaintMs).filter(Number.isFinite);
  const lagGrowth = (n: number) => {
    const l = cells[n]?.ours?.lag;
    return l ? l.lastTenthMs - l.firstTenthMs : NaN;
  };
  const goals = {
    throttledOverOursAt20kAtLeast10x: ratioThrottled20k >= 10,
    oursOverFloorAt20kAtMost4x: ratioFloor20k <= 4,
    growth20kOver5kAtMost4_5x: growth20vs5 <= 4.5,
    growth100kOver20kAtMost5_5x: !(growth100vs20 > 5.5),
    keepsPace: sizes.every((n) => !(lagGrowth(n) > 50)),
    enterToWireP95AtMost15ms: enter.length > 0 && p95(enter) <= 15,
    firstByteToPaintP95AtMost50ms: paint.length > 0 && p95(paint) <= 50,
  };
  const cpuText = (c: Cell | undefined) =>
    c ? `${c.browserMs} (${c.browserMsMin}–${c.browserMsMax})${c.completed ? '' : ' cut at cap'}` : 'n/a';
  const summary: Record<string, unknown> = {};
  for (const n of sizes) {
    const c = cells[n];
    summary[`${n / 1000}k tokens: browser CPU ms, median (min–max): ours / throttled / floor`] =
      `${cpuText(c.ours)} / ${cpuText(c.throttled)} / ${cpuText(c.floor)}`;
    if (c.ours)
      summary[`${n / 1000}k tokens ours: renderer / GPU / browser+utility ms; code-server (ext host) ms`] =
        `${c.ours.byKind.renderer} / ${c.ours.byKind.gpu} / ${c.ours.byKind.browser + c.ours.byKind.utility}; ${c.ours.codeServerMs} (${c.ours.extHostMs})`;
    if (c.ours)
      summary[`${n / 1000}k tokens ours: CDP script / style / layout / task ms`] =
        `${c.ours.metrics.ScriptDuration} / ${c.ours.metrics.RecalcStyleDuration} / ${c.ours.metrics.LayoutDuration} / ${c.ours.metrics.TaskDuration}`;
    if (c.ours?.lag)
      summary[`${n / 1000}k tokens ours: deltas / DOM updates; lag first / last tenth / max ms`] =
        `${c.ours.deltas} / ${c.ours.domUpdates}; ${c.ours.lag.firstTenthMs} / ${c.ours.lag.lastTenthMs} / ${c.ours.lag.maxMs}`;
  }
  const throttledCut = cells[20000]?.throttled && !cells[20000].throttled.completed;
  summary[`20k: throttled / ours (goal >= 10)${throttledCut ? ', a lower bound: throttled cut at its cap' : ''}`] =
    r2(ratioThrottled20k);
  summary['20k: ours / floor (goal <= 4)'] = r2(ratioFloor20k);
  summary['ours 20k / 5k (goal <= 4.5); 100k / 20k (goal <= 5.5)'] = `${r2(growth20vs5)}; ${r2(growth100vs20)}`;
  summary['Enter → request on the wire, 1,000-message chat: median / p95 / max ms (goal p95 <= 15)'] = enter.length
    ? `${r2(median(enter))} / ${r2(p95(enter))} / ${r2(Math.max(...enter))}`
    : 'n/a';
  summary['first text at the server → painted in the view: median / p95 / max ms (goal p95 <= 50)'] = paint.length
    ? `${r2(median(paint))} / ${r2(p95(paint))} / ${r2(Math.max(...paint))}`
    : 'n/a';
  const toView = first.map((s) => s.firstByteToViewMs).filter(Number.isFinite);
  summary['…of which first text at the server → its message in the view: median / p95 ms'] = toView.length
    ? `${r2(median(toView))} / ${r2(p95(toView))}`
    : 'n/a';
  for (const [k, t] of Object.entries(traces))
    summary[`trace ${k}: thread ms by process; script ms by frame`] =
      `${JSON.stringify(t.processes)}; ${JSON.stringify(t.scriptByFrame)}`;
  summary['goals met'] = Object.entries(goals)
    .map(([k, v]) => `${k}=${v ? 'yes' : 'NO'}`)
    .join(', ');
  return {
    rate: RATE,
    charsPerToken: CHARS_PER_TOKEN,
    cells,
    runs,
    firstToken: first,
    traces,
    ratios: {
      throttledOverOursAt20k: r2(ratioThrottled20k),
      oursOverFloorAt20k: r2(ratioFloor20k),
      oursGrowth20kOver5k: r2(growth20vs5),
      oursGrowth100kOver20k: r2(growth100vs20),
    },
    goals,
    goalMet: Object.values(goals).every(Boolean),
    summary,
  };
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
