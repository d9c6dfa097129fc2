// Version support without proposed API: the manifest asks for none, the typed shims of the newer stable API match
// the `vscode.d.ts` of the version that finalized them, and every `vscode.*` the source reads is stable API of the
// engine minimum (1.90) or listed with its version in src/lm/apiSurface.ts.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { NEWER_STABLE_API } from '../../../src/lm/apiSurface';
import { apiUseProblems, declares, dtsSurface, parseDts } from '../../harness/dtsSurface';
import { repoRoot } from '../../harness/paths';

const repo = repoRoot();
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('lm: stable API only, of the declared versions', () => {
  const base = dtsSurface('1.90.0');

  it('package.json enables no proposed API and keeps @types/vscode at the engine minimum', () => {
    assert.equal('enabledApiProposals' in pkg, false, 'enabledApiProposals must not appear in package.json');
    assert.equal(pkg.engines.vscode, '^1.90.0');
    assert.equal(pkg.devDependencies['@types/vscode'], '^1.90.0');
    assert.equal(
      JSON.parse(readFileSync(join(repo, 'node_modules/@types/vscode/package.json'), 'utf8')).version,
      '1.90.0',
    );
  });

  it('the d.ts reader finds what it must (a sanity check of the parser)', () => {
    assert.ok(declares(base, 'window.createOutputChannel'));
    assert.ok(declares(base, 'lm.selectChatModels'));
    assert.ok(declares(base, 'DiagnosticSeverity.Warning'));
    assert.equal(declares(base, 'lm.registerTool'), false, 'registerTool is newer than 1.90');
    assert.equal(declares(base, 'lm.fileIsIgnored'), false);
    const s = parseDts(
      "declare module 'vscode' { export namespace a { export function b(): void; } export interface I { x: number; readonly y?: string; m(): void } }",
    );
    assert.deepEqual([...s.namespaceMembers], ['a.b']);
    assert.deepEqual([...s.members.get('I')!], ['x', 'y', 'm']);
  });

  it('each newer member Bud reads is stable in the version given for it, and newer than 1.90', () => {
    for (const api of NEWER_STABLE_API) {
      assert.ok(
        declares(dtsSurface(api.since), api.path),
        `${api.path} is not in the stable vscode.d.ts of ${api.since}`,
      );
      assert.equal(
        declares(base, api.path),
        false,
        `${api.path} is already in 1.90: it does not belong in NEWER_STABLE_API`,
      );
    }
  });

  it('every member of the typed shims (src/lm/vscodeLm.ts) is in the stable vscode.d.ts of its @since version', () => {
    const text = readFileSync(join(repo, 'src/lm/vscodeLm.ts'), 'utf8');
    const blocks = [
      ...text.matchAll(/\/\*\* @since (1\.\d+)[^*]*\*\/\s*export interface (\w+)(?:<[^>]*>)? \{([\s\S]*?)\n\}/g),
    ];
    assert.ok(blocks.length >= 10, `found ${blocks.length} shim interfaces`);
    for (const [, since, name, body] of blocks) {
      const surface = dtsSurface(`${since}.0`);
      const declared = surface.members.get(name);
      assert.ok(declared, `${name} is not an interface or class in vscode.d.ts ${since}`);
      for (const m of body.matchAll(/^ {2}(?:readonly )?(\w+)\??[:(<]/gm))
        assert.ok(declared.has(m[1]), `${name}.${m[1]} is not declared in vscode.d.ts ${since}`);
    }
    // The namespace shim: each member carries its own version.
    const ns = /export interface LmNamespace \{([\s\S]*?)\n\}/.exec(text)![1];
    for (const m of ns.matchAll(/@since (1\.\d+) \*\/\s*(?:readonly )?(\w+)\?/g))
      assert.ok(declares(dtsSurface(`${m[1]}.0`), `lm.${m[2]}`), `lm.${m[2]} is not in vscode.d.ts ${m[1]}`);
  });

  it('every vscode.<name>[.<member>] in src is stable in 1.90 or listed in NEWER_STABLE_API', () => {
    const newer = new Set(NEWER_STABLE_API.map((a) => a.path));
    const problems: string[] = [];
    for (const file of sources(join(repo, 'src'))) {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/[^\n]*/g, '');
      if (!/from 'vscode'/.test(code)) continue;
      // Command ids in strings ('vscode.executeDocumentSymbolProvider') are not API members.
      const noStrings = code.replace(/'(?:[^'\\\n]|\\.)*'/g, "''");
      for (const m of noStrings.matchAll(/\bvscode\.([A-Za-z_$][\w$]*)(?:\.([A-Za-z_$][\w$]*))?/g)) {
        const path = base.namespaces.has(m[1]) && m[2] ? `${m[1]}.${m[2]}` : m[1];
        if (!declares(base, path) && !newer.has(path)) problems.push(`${relative(repo, file)}: vscode.${path}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('the run-time check flags proposed members and members newer than the running VS Code', () => {
    const used = ['window.createOutputChannel', 'Uri', 'lm.registerTool', 'lm.registerLanguageModelChatProvider'];
    // Proposed in every release so far (never in a stable vscode.d.ts): what code-server would let through.
    const proposed = ['chat.createDynamicChatParticipant', 'lm.fileIsIgnored', 'LanguageModelDataPart'];
    assert.deepEqual(apiUseProblems([...used, ...proposed], '1.139.1'), { outside: [...proposed].sort(), tooNew: [] });
    assert.deepEqual(apiUseProblems(used, '1.95.0'), { outside: [], tooNew: ['lm.registerLanguageModelChatProvider'] });
    assert.deepEqual(apiUseProblems(used, '1.90.2'), {
      outside: [],
      tooNew: ['lm.registerLanguageModelChatProvider', 'lm.registerTool'],
    });
  });
});
