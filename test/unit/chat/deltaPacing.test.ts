import * as assert from 'node:assert/strict';
import { DeltaPacing, PACE_MS } from '../../../src/chat/deltaPacing';

describe('delta pacing', () => {
  it('paces by what the user can see: reading, scrolled away, hidden', () => {
    const p = new DeltaPacing();
    assert.equal(p.intervalMs, PACE_MS.reading);
    p.setFollowing(false);
    assert.equal(p.intervalMs, PACE_MS.offScreen);
    p.setVisible(false);
    assert.equal(p.intervalMs, PACE_MS.hidden);
    p.setFollowing(true);
    assert.equal(p.intervalMs, PACE_MS.hidden, 'hidden wins');
    p.setVisible(true);
    assert.equal(p.intervalMs, PACE_MS.reading);
    assert.ok(PACE_MS.reading <= 100, 'text the user reads is never more than 0.1 s behind');
  });

  it('tells its listeners when the pace changes, only then, until they unsubscribe', () => {
    const p = new DeltaPacing();
    let calls = 0;
    const off = p.onChange(() => calls++);
    p.setFollowing(true);
    p.setVisible(true);
    assert.equal(calls, 0, 'no change, no call');
    p.setFollowing(false);
    p.setVisible(false);
    assert.equal(calls, 2);
    off();
    p.setVisible(true);
    assert.equal(calls, 2);
  });
});
