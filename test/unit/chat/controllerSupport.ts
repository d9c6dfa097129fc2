// Shared by the controller tests: a delta sink without batching, a completed turn result, and a poll-until.
import * as assert from 'node:assert/strict';
import type { DeltaSink } from '../../../src/chat/controller';
import type { TurnResult } from '../../../src/chat/turn';

/** Immediate delta sink: posts each push at once (batching is the batcher's own test). */
export const immediateSink = (onFlush: (t: string, r: string) => void): DeltaSink => ({
  push: (t, r) => onFlush(t, r ?? ''),
  flush: () => undefined,
  dispose: () => undefined,
});

/** Waits (up to about 2.5 s) until `cond` holds. */
export async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), 'condition reached');
}

/** A complete turn result with `content` as its one answer message. */
export const completed = (content: string, extra: Partial<TurnResult> = {}): TurnResult => ({
  status: 'complete',
  content,
  reasoning: '',
  newMessages: [{ role: 'assistant', content }],
  toolCalls: [],
  ...extra,
});
