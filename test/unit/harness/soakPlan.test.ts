// The soak's plan (test/e2e/soakPlan.ts): seeded, covering every fault, and consistent about what each turn expects.
import * as assert from 'node:assert/strict';
import { soakPlan, type TurnKind } from '../../e2e/soakPlan';

const ALL_KINDS: TurnKind[] = [
  'ok',
  'drop',
  '5xx',
  '429-then-ok',
  'slow-first-byte',
  'keepalive-then-ok',
  'length',
  'content_filter',
  'stop',
  'switch-mid-stream',
  'tools',
  'tools-drop',
  'tools-5xx',
];

describe('harness: the soak plan', () => {
  const plan = soakPlan(7, 1000);

  it('is the same for the same seed and differs for another', () => {
    const kinds = (p: typeof plan) => p.map((t) => `${t.kind}:${t.toolRows}:${t.actAfterMs}`).join(',');
    assert.equal(kinds(soakPlan(7, 1000)), kinds(plan));
    assert.notEqual(kinds(soakPlan(8, 1000)), kinds(plan));
  });

  it('draws every kind of turn in 1,000 turns', () => {
    assert.deepEqual([...new Set(plan.map((t) => t.kind))].sort(), [...ALL_KINDS].sort());
  });

  it('expects tool rows only where a tool round finished, and the status the fault calls for', () => {
    for (const t of plan) {
      const where = `turn ${t.n} (${t.kind})`;
      if (t.kind === 'tools') {
        assert.equal(t.expect, 'complete', where);
        assert.ok(t.toolRows >= 1 && t.handlers.length >= 2, where); // rounds, then the answer
      } else if (t.kind === 'tools-5xx') {
        assert.equal(t.expect, 'error', where);
        assert.ok(t.toolRows >= 1 && t.handlers.length === 3, where); // one round, then 503 and 502
      } else if (t.kind === 'tools-drop') {
        assert.equal(t.expect, 'error', where);
        assert.equal(t.handlers.length, t.toolRows > 0 ? 2 : 1, where);
      } else {
        assert.equal(t.toolRows, 0, where);
      }
    }
    const drops = plan.filter((t) => t.kind === 'tools-drop');
    assert.ok(
      drops.some((t) => t.toolRows === 0) && drops.some((t) => t.toolRows > 0),
      'drops in the first request and in the follow-up',
    );
  });
});
