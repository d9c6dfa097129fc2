// Decode + accumulate throughput on a recorded ~20 MB stream of small chunks, as a ratio to JSON.parse alone
// over the same event payloads, beside eventsource-parser + the same accumulation.
//   (a) JSON.parse of every payload string (the floor: no client can avoid it)
//   (b) our path: ChatChunkReader (byte-level SSE decoder, [DONE]/error checks, JSON.parse) + ChatAccumulator
//   (c) eventsource-parser (fed by a streaming TextDecoder, as its EventSourceParserStream does) + JSON.parse
//       + the same checks and ChatAccumulator
// Runs are interleaved (a, b, c, c, b, a, …) in one process, in steady state, and medians are compared. No
// forced GC between runs: after a full GC V8 shrinks the young generation, which would charge the paths that
// allocate more (decoded strings) for extra scavenges a running extension host never pays.
// Both wall time and process CPU time are recorded. The goal (b/a ≤ 2) is judged on CPU time, which is what
// the path costs; wall time on a shared machine also counts time the process spent descheduled.
// Two recordings are measured: 'english' (English prose and code, the common case) and 'mixed' (a third of the
// tokens in other scripts, accents or emoji, so every network piece holds multi-byte UTF-8).
//
// Called by bench/run.mjs, which runs the default export: run(): Promise<Record<string, unknown>>.
// Env: BUD_BENCH_SSE_MB (default 20), BUD_BENCH_RUNS (default 9). `node out/bench/sse.bench.js` runs it alone.
import { createParser } from 'eventsource-parser';
import { ChatAccumulator } from '../src/api/accumulator';
import { ChatChunkReader } from '../src/api/stream';
import type { ChatCompletionChunk } from '../src/api/types';
import { generateRecordedStream, type RecordedStream, type StreamMix } from './recorded-stream';

function runJsonParse(s: RecordedStream): number {
  let n = 0;
  for (let i = 0; i < s.payloads.length; i++) {
    const o = JSON.parse(s.payloads[i]);
    n += o.choices.length;
  }
  return n;
}

function runOurs(s: RecordedStream): ChatAccumulator {
  const acc = new ChatAccumulator();
  const reader = new ChatChunkReader({
    onChunk: (c) => {
      acc.push(c);
    },
  });
  for (let i = 0; i < s.pieces.length; i++) reader.push(s.pieces[i]);
  reader.end();
  if (!reader.done) throw new Error('no [DONE]');
  return acc;
}

function runEventsourceParser(s: RecordedStream): ChatAccumulator {
  const acc = new ChatAccumulator();
  let done = false;
  const parser = createParser({
    onEvent(ev) {
      if (done) return;
      if (ev.data === '[DONE]') {
        done = true;
        return;
      }
      const c = JSON.parse(ev.data) as ChatCompletionChunk & { error?: unknown };
      if (c.error) throw new Error('stream error');
      if (!Array.isArray(c.choices)) c.choices = [];
      acc.push(c);
    },
  });
  const dec = new TextDecoder();
  for (let i = 0; i < s.pieces.length; i++) parser.feed(dec.decode(s.pieces[i], { stream: true }));
  parser.feed(dec.decode());
  if (!done) throw new Error('no [DONE]');
  return acc;
}

function check(acc: ChatAccumulator, s: RecordedStream, who: string): void {
  if (
    acc.content !== s.expected.content ||
    acc.reasoning !== s.expected.reasoning ||
    acc.toolCalls.length !== s.expected.toolCalls ||
    !acc.usage
  ) {
    throw new Error(`${who}: the accumulated message differs from the recording`);
  }
}

interface Sample {
  wallMs: number;
  cpuMs: number;
}

function time(fn: () => unknown): Sample {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)];
};
const r2 = (x: number) => Math.round(x * 100) / 100;

function measure(mix: StreamMix, mb: number, runs: number) {
  const s = generateRecordedStream(mb * 1024 * 1024, 7, mix);
  check(runOurs(s), s, 'ours');
  check(runEventsourceParser(s), s, 'eventsource-parser');
  for (let i = 0; i < 2; i++) {
    runJsonParse(s);
    runOurs(s);
    runEventsourceParser(s);
  } // warm-up
  const a: Sample[] = [];
  const b: Sample[] = [];
  const c: Sample[] = [];
  const order = [
    () => a.push(time(() => runJsonParse(s))),
    () => b.push(time(() => runOurs(s))),
    () => c.push(time(() => runEventsourceParser(s))),
  ];
  for (let i = 0; i < runs; i++) {
    const seq = i % 2 === 0 ? order : [...order].reverse();
    for (const f of seq) f();
  }
  const cpu = (xs: Sample[]) => median(xs.map((x) => x.cpuMs));
  const wall = (xs: Sample[]) => median(xs.map((x) => x.wallMs));
  return {
    streamBytes: s.bytes.length,
    events: s.expected.events,
    networkPieces: s.pieces.length,
    runs,
    cpuMs: { jsonParse: r2(cpu(a)), ours: r2(cpu(b)), eventsourceParser: r2(cpu(c)) },
    wallMs: { jsonParse: r2(wall(a)), ours: r2(wall(b)), eventsourceParser: r2(wall(c)) },
    ratioOursToJsonParse: r2(cpu(b) / cpu(a)),
    ratioEventsourceParserToJsonParse: r2(cpu(c) / cpu(a)),
    wallRatioOursToJsonParse: r2(wall(b) / wall(a)),
    wallRatioEventsourceParserToJsonParse: r2(wall(c) / wall(a)),
    oursMBps: r2(s.bytes.length / 1048576 / (cpu(b) / 1000)),
  };
}

export default async function run(): Promise<Record<string, unknown>> {
  const mb = Number(process.env.BUD_BENCH_SSE_MB ?? 20);
  const runs = Number(process.env.BUD_BENCH_RUNS ?? 9);
  const english = measure('english', mb, runs);
  const mixed = measure('mixed', mb, runs);
  return {
    sse: {
      english,
      mixed,
      goal: 'ours / JSON.parse alone <= 2 (median CPU time), for both recordings',
      goalMet: english.ratioOursToJsonParse <= 2 && mixed.ratioOursToJsonParse <= 2,
    },
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
