// Where the time of a Chromium trace goes (the trace the whole-browser benchmark records with CDP `Tracing.start`
// when asked to): thread time per process and thread, and on each thread the self time of its busiest events, with
// script time split by the frame it ran in (the workbench page or the chat webview). Pure: events in, summary out.

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** thread (CPU) time of a complete event, µs */
  tdur?: number;
  tts?: number;
  args?: Record<string, unknown>;
}

export interface ThreadSummary {
  process: string;
  thread: string;
  /** thread time of top-level tasks, ms */
  taskMs: number;
  /** busiest events by self thread time, ms (nested events subtracted) */
  selfMs: Record<string, number>;
}

export interface TraceSummary {
  /** per process label: thread time of its top-level tasks, ms */
  processes: Record<string, number>;
  threads: ThreadSummary[];
  /** script self time (FunctionCall, EvaluateScript, timers, events…) by frame URL, ms */
  scriptByFrame: Record<string, number>;
}

const TOP_LEVEL = new Set(['ThreadControllerImpl::RunTask', 'RunTask', 'ThreadPool_RunTask']);
/** Events whose self time is attributed to the frame named in their `args.data.frame`. */
const SCRIPT = new Set([
  'FunctionCall',
  'EvaluateScript',
  'v8.callFunction',
  'TimerFire',
  'EventDispatch',
  'FireAnimationFrame',
  'RunMicrotasks',
  'v8.run',
]);

const r1 = (x: number) => Math.round(x * 10) / 10;

/** Summarises `events`; `frameLabel` names a frame URL (e.g. 'webview' / 'workbench'), default the URL itself. */
export function summariseTrace(
  events: TraceEvent[],
  opts: { frameLabel?: (url: string) => string; top?: number } = {},
): TraceSummary {
  const label = opts.frameLabel ?? ((u: string) => u);
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const processName = new Map<number, string>();
  const threadName = new Map<string, string>();
  const frameUrl = new Map<string, string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'process_name') processName.set(e.pid, str(e.args?.name));
    if (e.ph === 'M' && e.name === 'process_labels' && processName.has(e.pid))
      processName.set(e.pid, `${processName.get(e.pid)} (${str(e.args?.labels)})`);
    if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, str(e.args?.name));
    const data = e.args?.data as
      { frames?: { frame: string; url: string }[]; frame?: string; url?: string } | undefined;
    for (const f of data?.frames ?? []) if (f.frame && f.url) frameUrl.set(f.frame, f.url);
    if (data?.frame && data.url && !frameUrl.has(data.frame)) frameUrl.set(data.frame, data.url);
  }

  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const k = `${e.pid}:${e.tid}`;
    let list = byThread.get(k);
    if (!list) byThread.set(k, (list = []));
    list.push(e);
  }

  const threads: ThreadSummary[] = [];
  const processes: Record<string, number> = {};
  const scriptByFrame: Record<string, number> = {};
  for (const [k, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    const pid = Number(k.split(':')[0]);
    let taskMs = 0;
    const self = new Map<string, number>();
    // Self time: an event's thread time minus that of its direct children (events nested in time on the thread).
    // Thread time, not wall time: on a loaded machine a thread waits for a core inside its events.
    const cost = (e: TraceEvent) => e.tdur ?? e.dur ?? 0;
    const stack: { e: TraceEvent; end: number; child: number }[] = [];
    const pop = () => {
      const top = stack.pop()!;
      const selfUs = Math.max(0, cost(top.e) - top.child);
      self.set(top.e.name, (self.get(top.e.name) ?? 0) + selfUs / 1000);
      if (SCRIPT.has(top.e.name)) {
        const frame = (top.e.args?.data as { frame?: string } | undefined)?.frame;
        const where = label(frame ? (frameUrl.get(frame) ?? `frame ${frame}`) : 'unknown frame');
        scriptByFrame[where] = (scriptByFrame[where] ?? 0) + selfUs / 1000;
      }
      if (stack.length) stack[stack.length - 1].child += cost(top.e);
    };
    for (const e of list) {
      while (stack.length && stack[stack.length - 1].end <= e.ts) pop();
      if (!stack.length && TOP_LEVEL.has(e.name)) taskMs += cost(e) / 1000;
      stack.push({ e, end: e.ts + (e.dur ?? 0), child: 0 });
    }
    while (stack.length) pop();
    const top = [...self]
      .filter(([n]) => !TOP_LEVEL.has(n))
      .sort((a, b) => b[1] - a[1])
      .slice(0, opts.top ?? 12);
    const proc = processName.get(pid) ?? `pid ${pid}`;
    processes[proc] = r1((processes[proc] ?? 0) + taskMs);
    threads.push({
      process: proc,
      thread: threadName.get(k) ?? k,
      taskMs: r1(taskMs),
      selfMs: Object.fromEntries(top.map(([n, v]) => [n, r1(v)])),
    });
  }
  threads.sort((a, b) => b.taskMs - a.taskMs);
  for (const key of Object.keys(scriptByFrame)) scriptByFrame[key] = r1(scriptByFrame[key]);
  return { processes, threads: threads.filter((t) => t.taskMs >= 1), scriptByFrame };
}
