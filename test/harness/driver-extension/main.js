// Drives Bud Chat from an end-to-end test, inside the real extension host: the test writes
// $BUD_E2E_DRIVE_DIR/cmd-<n>.json ({ op, ... }) and waits for done-<n>.json ({ result } or { error }).
//   { op: 'send', texts: [...] }   sends each text like the Send button (waits for each answer to end)
//   { op: 'chat' }                 the current chat as the view sees it
//   { op: 'newChat' }              starts a new chat
//   { op: 'baseUrl', url }         sends requests to another local server (the test API's override)
//   { op: 'command', id }          starts a command by its id (not awaited: it may wait on a notification's button)
//   { op: 'heapAfterGc' }          the extension host's used JS heap in bytes after forced full GCs
// Without BUD_E2E_DRIVE_DIR it does nothing, so it is harmless in any other profile. It lives in the test harness,
// never in the VSIX (.vscodeignore is an allow-list): the GC hook below is out of reach of a normal install.
'use strict';
const fs = require('fs');
const path = require('path');
const v8 = require('v8');
const vm = require('vm');

/**
 * Forces full GCs in this process (all extensions share the extension host) and returns the used heap. The host is
 * started without --expose-gc (code-server forks it with its own flags), so the flag is set at run time and a fresh
 * context's `gc` is taken: V8 installs it on contexts created after the flag is set.
 */
function heapAfterGc() {
  let gc = typeof global.gc === 'function' ? global.gc : undefined;
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc');
  }
  // Twice: objects with finalizers or weak references held by the first pass are freed by the second.
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function run(api, cmd) {
  if (cmd.op === 'send') {
    for (const text of cmd.texts) await api.chat.send(text);
    return summary(api.chat.getCurrentChat());
  }
  if (cmd.op === 'chat') return api.chat.getCurrentChat();
  if (cmd.op === 'newChat') return api.chat.newChat();
  if (cmd.op === 'baseUrl') return api.setBaseUrlOverride(cmd.url);
  if (cmd.op === 'heapAfterGc') return heapAfterGc();
  if (cmd.op === 'command') {
    void require('vscode').commands.executeCommand(cmd.id);
    return null;
  }
  throw new Error(`unknown op ${JSON.stringify(cmd.op)}`);
}

function summary(chat) {
  return {
    messages: chat.messages.length,
    statuses: chat.messages.filter((m) => m.role === 'assistant').map((m) => m.status),
    errors: chat.messages.filter((m) => m.error).map((m) => m.error.message),
  };
}

exports.activate = async function activate() {
  const dir = process.env.BUD_E2E_DRIVE_DIR;
  if (!dir) return;
  const vscode = require('vscode');
  const ext = vscode.extensions.getExtension('bud-studio.bud-chat');
  if (!ext) return;
  const api = await ext.activate();
  let busy = false;
  setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const cmds = fs
        .readdirSync(dir)
        .filter((f) => /^cmd-\d+\.json$/.test(f))
        .sort();
      for (const f of cmds) {
        const n = f.slice(4, -5);
        const cmd = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
        fs.unlinkSync(path.join(dir, f));
        let out;
        try {
          out = { result: await run(api, cmd) };
        } catch (err) {
          out = { error: String((err && err.stack) || err) };
        }
        const file = path.join(dir, `done-${n}.json`);
        fs.writeFileSync(`${file}.tmp`, JSON.stringify(out));
        fs.renameSync(`${file}.tmp`, file);
      }
    } catch {
      /* the folder may be gone after the test */
    } finally {
      busy = false;
    }
  }, 100);
};

exports.deactivate = function deactivate() {};

exports.heapAfterGc = heapAfterGc;
