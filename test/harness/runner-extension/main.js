// Runs the integration suite inside the real extension host (code-server here), from the same
// out/test/integration/index.js that @vscode/test-electron uses, and writes JSON results for the harness:
//   BUD_TEST_RESULTS  file to write ({ passes, failures, pending, durationMs, crashed? })
//   BUD_TEST_INDEX    absolute path of out/test/integration/index.js
//   BUD_TEST_GREP     optional mocha grep
// Without BUD_TEST_RESULTS it does nothing, so it is harmless in any other profile.
'use strict';
const fs = require('fs');

let started = false;

function write(file, results) {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(results, null, 2));
  fs.renameSync(`${file}.tmp`, file); // the harness never sees a half-written file
}

exports.activate = async function activate() {
  const resultsFile = process.env.BUD_TEST_RESULTS;
  const indexFile = process.env.BUD_TEST_INDEX;
  if (!resultsFile || !indexFile || started) return;
  started = true;
  if (fs.existsSync(resultsFile)) return; // a reloaded window must not run the suite twice
  const t0 = Date.now();
  let results;
  try {
    // Stack traces of failures point at test/**/*.ts lines (the bundles carry source maps).
    if (typeof process.setSourceMapsEnabled === 'function') process.setSourceMapsEnabled(true);
    const suite = require(indexFile);
    results = await suite.runSuite({ grep: process.env.BUD_TEST_GREP || undefined });
  } catch (err) {
    results = {
      passes: [],
      failures: [],
      pending: [],
      durationMs: Date.now() - t0,
      crashed: String((err && err.stack) || err),
    };
  }
  results.host = { node: process.version, vscodeVersion: require('vscode').version, pid: process.pid };
  write(resultsFile, results);
};

exports.deactivate = function deactivate() {};
