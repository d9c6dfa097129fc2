// Mocha reporter for scripts/test.mjs: live spec output on the terminal, plus a JSON summary written to
// $BUD_MOCHA_JSON ({ passes, failures, pending } with full titles, files, errors) so the orchestrator can count.
'use strict';
const fs = require('fs');
const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

class BudReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    const out = { passes: [], failures: [], pending: [] };
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
