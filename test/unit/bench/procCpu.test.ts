// The whole-browser benchmark's CPU accounting from /proc (Linux only; the benchmark runs only there).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { platform } from 'node:os';
import { cpuBetween, findDescendants, procStat, processTree, treeCpu } from '../../../bench/procCpu';

describe('bench process CPU from /proc', function () {
  before(function () {
    if (platform() !== 'linux') this.skip();
  });

  it('reads this process, its CPU time grows with work, and a gone process reads as undefined', () => {
    const a = procStat(process.pid)!;
    assert.equal(a.pid, process.pid);
    assert.equal(a.ppid, process.ppid);
    const until = Date.now() + 60;
    let n = 0;
    while (Date.now() < until) n += Math.sqrt(n + 1);
    const b = procStat(process.pid)!;
    assert.ok(b.cpuMs >= a.cpuMs + 20, `cpu ${a.cpuMs} → ${b.cpuMs} after 60 ms of work (${n > 0})`);
    assert.equal(procStat(2 ** 22 + 7), undefined);
  });

  it('finds children by command line and sums the CPU of a whole tree between two snapshots', async () => {
    const child = spawn(process.execPath, ['-e', 'for (;;) Date.now() + 300;']);
    try {
      const deadline = Date.now() + 20_000;
      while (!processTree(process.pid).some((p) => p.pid === child.pid) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(findDescendants(process.pid, /Date\.now\(\) \+ 300/), [child.pid]);
      const before = treeCpu(process.pid);
      const start = procStat(child.pid!)!.cpuMs;
      // wait until the busy child has used 50 ms more (however loaded the machine is)
      while (procStat(child.pid!)!.cpuMs < start + 50 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const after = treeCpu(process.pid);
      const used = cpuBetween(before, after);
      assert.ok(used >= 50, `the tree used ${used} ms in the window`);
    } finally {
      child.kill();
    }
  });
});
