// The whole-browser benchmark's trace summary: thread time per process, self time per event, script by frame.
import * as assert from 'node:assert/strict';
import { summariseTrace, type TraceEvent } from '../../../bench/traceSummary';

const meta = (pid: number, tid: number, process: string, thread: string): TraceEvent[] => [
  { name: 'process_name', ph: 'M', pid, tid, ts: 0, args: { name: process } },
  { name: 'thread_name', ph: 'M', pid, tid, ts: 0, args: { name: thread } },
];
const x = (name: string, ts: number, dur: number, tdur: number, data?: Record<string, unknown>): TraceEvent => ({
  name,
  ph: 'X',
  pid: 1,
  tid: 1,
  ts,
  dur,
  tdur,
  args: data ? { data } : {},
});

describe('bench trace summary', () => {
  it('counts top-level tasks in thread time and subtracts nested events from self time', () => {
    const events = [
      ...meta(1, 1, 'Renderer', 'CrRendererMain'),
      // a task of 10 ms wall / 6 ms thread: a script call of 4 ms thread inside it, with 1 ms of layout nested
      x('RunTask', 0, 10_000, 6_000),
      x('FunctionCall', 1_000, 6_000, 4_000, {
        frame: 'F1',
        url: 'https://x.vscode-resource.vscode-cdn.net/webview.js',
      }),
      x('Layout', 2_000, 1_500, 1_000),
      // a second task, on its own
      x('RunTask', 20_000, 3_000, 2_000),
      x('Paint', 20_500, 2_000, 1_500),
    ];
    const s = summariseTrace(events, { frameLabel: (u) => (u.includes('vscode-resource') ? 'webview' : u) });
    assert.deepEqual(s.processes, { Renderer: 8 });
    const main = s.threads.find((t) => t.thread === 'CrRendererMain')!;
    assert.equal(main.taskMs, 8);
    assert.equal(main.selfMs.FunctionCall, 3, 'script self time excludes the nested layout');
    assert.equal(main.selfMs.Layout, 1);
    assert.equal(main.selfMs.Paint, 1.5);
    assert.deepEqual(s.scriptByFrame, { webview: 3 });
  });

  it('falls back to wall time when an event has no thread time, and names unknown frames', () => {
    const events: TraceEvent[] = [
      { name: 'RunTask', ph: 'X', pid: 2, tid: 5, ts: 0, dur: 4_000 },
      { name: 'TimerFire', ph: 'X', pid: 2, tid: 5, ts: 100, dur: 2_000, args: { data: {} } },
    ];
    const s = summariseTrace(events);
    assert.equal(s.processes['pid 2'], 4);
    assert.deepEqual(s.scriptByFrame, { 'unknown frame': 2 });
  });
});
