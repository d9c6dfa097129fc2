// The soak: one window runs many turns against the local server, which injects seeded faults (soakPlan.ts). It is
// driven like a user (type, Enter or Send, Stop, New Chat in the middle of a stream). Pass criteria, each printed:
//   - 0 unhandled rejections / uncaught errors in the extension host log and in the page (workbench + webview);
//   - the UI is never stuck: every answer ends within a bound, Stop stops within a bound, Send comes back;
//   - every answer ends with the status its fault calls for (complete, stopped, error);
//   - the saved chats are valid JSON and every turn is accounted for as complete, stopped, error or interrupted;
//   - renderer heap after a forced GC grows at most 10% between turn N/10 and turn N (judged from 200 turns).
// `npm test` runs 50 turns; `npm run soak -- --turns 1000 --seed N` runs the long one (scripts/soak.mjs).
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession } from 'playwright-core';
import { useChatE2E } from '../harness/chatE2E';
import type { CodeServer } from '../harness/codeServer';
import { resultsDir } from '../harness/paths';
import { soakPlan, type SoakTurn } from './soakPlan';

const TURNS = Number(process.env.BUD_SOAK_TURNS) || 50;
const SEED = Number(process.env.BUD_SOAK_SEED) || Math.floor(Math.random() * 2 ** 31);
const END_BOUND_MS = 60_000;
const STOP_BOUND_MS = 5_000;
const HEAP_JUDGED_FROM = 200;

function chatFiles(server: CodeServer): string[] {
  const base = join(server.userDataDir, 'User/globalStorage');
  const ext = existsSync(base) ? readdirSync(base).find((d) => /^bud-studio\.bud-chat$/i.test(d)) : undefined;
  const dir = join(base, ext ?? 'bud-studio.bud-chat', 'chats');
  return existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [];
}

describe('soak (code-server + Chromium + fault-injecting server)', function () {
  this.timeout(TURNS * 20_000 + 120_000);
  const e2e = useChatE2E({
    label: 'soak-e2e',
    apiKey: 'sk-soak-e2e-0123456789abcdef',
    settings: { 'bud.maxRetries': 1, 'bud.requestTimeout': 30, 'bud.tools.enabled': false },
  });

  it(`${TURNS} turns with seeded faults, Stop and chat switches: nothing stuck, lost or leaking`, async () => {
    console.log(`      soak: ${TURNS} turns, seed ${SEED} (replay: BUD_SOAK_SEED=${SEED})`);
    const plan = soakPlan(SEED, TURNS);
    const chat = () => e2e.chat;
    const page = e2e.wb.page;
    const send = () => chat().locator('#send');
    const assistants = () => chat().locator('.message.assistant');
    const pageErrorsBefore = e2e.wb.pageErrors.length;
    const hostErrorsBefore = e2e.server.extHostErrors().length;

    let cdp: CDPSession | undefined;
    const heap = async (): Promise<number> => {
      cdp ??= await page.context().newCDPSession(page);
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };

    const statuses: Record<string, number> = {};
    const mismatches: string[] = [];
    const stuck: string[] = [];
    const stopMs: number[] = [];
    const endMs: number[] = [];
    let heapEarly = 0;
    let switches = 0;
    const t0 = Date.now();

    const runTurn = async (turn: SoakTurn) => {
      e2e.api.enqueue(...turn.handlers);
      const before = await assistants().count();
      await e2e.wb.typeAndSend(`Turn ${turn.n} (${turn.kind})`);
      const answer = assistants().nth(before);
      await answer.waitFor({ timeout: 30_000 });
      const started = Date.now();
      if (turn.kind === 'stop' || turn.kind === 'switch-mid-stream') {
        await answer.locator('.content', { hasText: 'w1' }).waitFor({ timeout: 30_000 });
        await new Promise((r) => setTimeout(r, turn.actAfterMs));
        if (turn.kind === 'switch-mid-stream') {
          await e2e.wb.runCommand('Bud: New Chat');
          switches++;
          await chat()
            .locator('.message')
            .first()
            .waitFor({ state: 'detached', timeout: 10_000 })
            .catch(() => {});
          return;
        }
        const pressed = Date.now();
        await send().click();
        await answer.locator('xpath=self::*[@data-status!="streaming"]').waitFor({ timeout: STOP_BOUND_MS });
        stopMs.push(Date.now() - pressed);
      }
      const status = await answer
        .locator('xpath=self::*[@data-status!="streaming"]')
        .waitFor({ timeout: END_BOUND_MS })
        .then(() => answer.getAttribute('data-status'))
        .catch(() => 'streaming');
      endMs.push(Date.now() - started);
      statuses[status ?? '?'] = (statuses[status ?? '?'] ?? 0) + 1;
      if (status === 'streaming') stuck.push(`turn ${turn.n} (${turn.kind}) did not end within ${END_BOUND_MS} ms`);
      else if (turn.expect !== 'any' && status !== turn.expect)
        mismatches.push(`turn ${turn.n} (${turn.kind}): ${status}, expected ${turn.expect}`);
      // Send comes back.
      const mode = await send()
        .locator('xpath=self::*[@data-mode="send"]')
        .waitFor({ timeout: 10_000 })
        .then(() => 'send')
        .catch(() => 'stuck');
      if (mode === 'stuck') stuck.push(`turn ${turn.n} (${turn.kind}): Send did not come back`);
    };

    for (const turn of plan) {
      await runTurn(turn);
      // A fresh chat now and then keeps each request and the view at a size a user has.
      if (turn.n % 40 === 0) await e2e.wb.runCommand('Bud: New Chat');
      if (turn.n === Math.max(1, Math.round(TURNS / 10))) heapEarly = await heap();
      if (turn.n % 50 === 0) console.log(`      … ${turn.n} turns, ${Math.round((Date.now() - t0) / 1000)} s`);
    }
    const heapLate = await heap();

    // The saved chats: valid, and every answer accounted for.
    const files = chatFiles(e2e.server);
    const invalid: string[] = [];
    const saved: Record<string, number> = {};
    let savedAnswers = 0;
    for (const f of files) {
      try {
        const c = JSON.parse(readFileSync(f, 'utf8')) as { messages?: { role: string; status?: string }[] };
        for (const m of c.messages ?? []) {
          if (m.role !== 'assistant') continue;
          savedAnswers++;
          saved[m.status ?? 'none'] = (saved[m.status ?? 'none'] ?? 0) + 1;
        }
      } catch (e) {
        invalid.push(`${f}: ${String(e)}`);
      }
    }
    const unaccounted = Object.entries(saved)
      .filter(([s]) => !['complete', 'stopped', 'error', 'interrupted'].includes(s))
      .map(([s, n]) => `${n} ${s}`);

    const hostErrors = e2e.server
      .extHostErrors()
      .slice(hostErrorsBefore)
      .filter((e) => /bud|unhandled|rejection/i.test(e));
    const pageErrors = e2e.wb.pageErrors.slice(pageErrorsBefore);
    const growth = heapEarly ? (heapLate - heapEarly) / heapEarly : 0;
    const pct = (a: number[], p: number) =>
      [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))] ?? 0;

    const criteria = [
      {
        name: 'no unhandled error in the extension host',
        pass: hostErrors.length === 0,
        detail: `${hostErrors.length}`,
      },
      {
        name: 'no uncaught error in the page (workbench + webview)',
        pass: pageErrors.length === 0,
        detail: `${pageErrors.length}`,
      },
      {
        name: `every answer ends within ${END_BOUND_MS} ms and Send comes back`,
        pass: stuck.length === 0,
        detail: stuck.join('; ') || 'yes',
      },
      {
        name: `Stop stops within ${STOP_BOUND_MS} ms`,
        pass: stopMs.every((m) => m <= STOP_BOUND_MS),
        detail: `max ${Math.max(0, ...stopMs)} ms over ${stopMs.length} Stops`,
      },
      {
        name: 'every answer ends as its fault calls for',
        pass: mismatches.length === 0,
        detail: mismatches.slice(0, 5).join('; ') || 'yes',
      },
      {
        name: 'saved chats are valid and every answer is complete, stopped, error or interrupted',
        pass: invalid.length === 0 && unaccounted.length === 0 && savedAnswers >= TURNS,
        detail: `${files.length} files, ${savedAnswers} answers ${JSON.stringify(saved)}${invalid.length ? `; invalid: ${invalid.join('; ')}` : ''}${unaccounted.length ? `; unaccounted: ${unaccounted.join(', ')}` : ''}`,
      },
      {
        name: `renderer heap after GC grows ≤ 10% from turn ${Math.round(TURNS / 10)} to ${TURNS}`,
        pass: TURNS < HEAP_JUDGED_FROM || growth <= 0.1,
        detail: `${(heapEarly / 1048576).toFixed(1)} MB -> ${(heapLate / 1048576).toFixed(1)} MB (${(growth * 100).toFixed(1)}%)${TURNS < HEAP_JUDGED_FROM ? `, judged from ${HEAP_JUDGED_FROM} turns` : ''}`,
      },
    ];
    for (const c of criteria) console.log(`      ${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`);

    const result = {
      at: new Date().toISOString(),
      turns: TURNS,
      seed: SEED,
      seconds: Math.round((Date.now() - t0) / 1000),
      kinds: plan.reduce<Record<string, number>>((m, t) => ((m[t.kind] = (m[t.kind] ?? 0) + 1), m), {}),
      statuses,
      savedAnswers: saved,
      chatSwitchesMidStream: switches,
      answerEndMs: { p50: pct(endMs, 0.5), p95: pct(endMs, 0.95), max: Math.max(0, ...endMs) },
      stopMs: { p50: pct(stopMs, 0.5), max: Math.max(0, ...stopMs), count: stopMs.length },
      rendererHeapMB: {
        early: +(heapEarly / 1048576).toFixed(2),
        late: +(heapLate / 1048576).toFixed(2),
        growthPct: +(growth * 100).toFixed(1),
      },
      criteria,
      pass: criteria.every((c) => c.pass),
    };
    mkdirSync(resultsDir(), { recursive: true });
    writeFileSync(join(resultsDir(), 'soak.json'), JSON.stringify(result, null, 1));
    assert.deepEqual(
      criteria.filter((c) => !c.pass).map((c) => `${c.name}: ${c.detail}`),
      [],
      `soak failed (replay: BUD_SOAK_SEED=${SEED} BUD_SOAK_TURNS=${TURNS})`,
    );
  });
});
