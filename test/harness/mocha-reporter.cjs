// Mocha reporter for scripts/test.mjs: live spec output on the terminal, plus a JSON summary written to
// $BUD_MOCHA_JSON ({ passes, failures, pending } with full titles, files, errors) so the orchestrator can count.
'use strict';
const fs = require('fs');
const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END } =
  Mocha.Runner.constants;

class BudReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    const out = { passes: [], failures: [], pending: [], fileMs: {} };
    // Wall time per file, hooks included: where a slow layer spends its time (code-server starts live in hooks).
    const began = new Map();
    runner.on(EVENT_SUITE_BEGIN, (s) => {
      if (s.file && s.parent && s.parent.root && !began.has(s.file)) began.set(s.file, Date.now());
    });
    runner.on(EVENT_SUITE_END, (s) => {
      if (s.file && s.parent && s.parent.root && began.has(s.file)) out.fileMs[s.file] = Date.now() - began.get(s.file);
    });
    const entry = (t, err) => ({
      title: t.title,
      fullTitle: t.fullTitle(),
      file: t.file,
      durationMs: t.duration,
      ...(err ? { error: String((err && err.message) || err), stack: String((err && err.stack) || '') } : {}),
    });
    runner.on(EVENT_TEST_PASS, (t) => out.passes.push(entry(t)));
    runner.on(EVENT_TEST_FAIL, (t, err) => out.failures.push(entry(t, err)));
    runner.on(EVENT_TEST_PENDING, (t) => out.pending.push(entry(t)));
    const write = () => {
      const file = process.env.BUD_MOCHA_JSON;
      if (file) fs.writeFileSync(file, JSON.stringify(out, null, 2));
    };
    runner.once(EVENT_RUN_END, write);
  }
}

module.exports = BudReporter;
