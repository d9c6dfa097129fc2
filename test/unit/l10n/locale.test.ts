// Numbers people read follow VS Code's display language (src/api/locale.ts), and the lint rule that keeps a
// hard-coded locale such as toLocaleString('en-US') out of src/ still fires.
import * as assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { formatNumber, modelNumber, setDisplayLocale } from '../../../src/api/locale';
import { repoRoot } from '../../harness/paths';

describe('display-language numbers', () => {
  afterEach(() => setDisplayLocale(undefined));

  it('formatNumber groups digits the way the display language does', () => {
    setDisplayLocale('de');
    assert.equal(formatNumber(1_234_567), '1.234.567');
    setDisplayLocale('en');
    assert.equal(formatNumber(1_234_567), '1,234,567');
  });

  it('a language tag the runtime refuses falls back to its default instead of failing', () => {
    setDisplayLocale('not a language tag');
    assert.equal(formatNumber(1_234_567), new Intl.NumberFormat().format(1_234_567));
  });

  it('modelNumber stays English whatever the display language', () => {
    setDisplayLocale('de');
    assert.equal(modelNumber(1_234_567), '1,234,567');
  });
});

describe('lint: no hard-coded locale in src/', function () {
  this.timeout(120_000);
  const repo = repoRoot();
  // As in test/unit/layerProbe.ts: the project's config on a virtual file, without type information.
  const eslint = new ESLint({
    cwd: repo,
    overrideConfig: [
      tseslint.configs.disableTypeChecked,
      { languageOptions: { parserOptions: { projectService: false, project: null, program: null } } },
    ],
  });
  const rulesFor = async (file: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: `${repo}/${file}` });
    return (result?.messages ?? []).map((m) => m.ruleId ?? `parse error: ${m.message}`);
  };

  it('rejects a locale literal in toLocale*() and Intl formats, in the pure layers, the host and the webview', async () => {
    const bad = [
      "export const a = (1).toLocaleString('en-US');",
      "export const b = new Date(0).toLocaleDateString('en-US', { month: 'short' });",
      "export const c = new Date(0).toLocaleTimeString('de-DE');",
      "export const d = new Intl.NumberFormat('en-US');",
      "export const e = new Intl.DateTimeFormat('en');",
    ];
    for (const file of ['src/chat/probe.ts', 'src/panel/probe.ts', 'src/webview-app/app/probe.ts']) {
      for (const code of bad) assert.deepEqual(await rulesFor(file, code), ['no-restricted-syntax'], `${file}: ${code}`);
    }
  });

  it('lets the display language through', async () => {
    const good = [
      'export const a = (n: number, locale?: string) => n.toLocaleString(locale);',
      'export const b = new Intl.NumberFormat(undefined);',
      'export const c = (1).toLocaleString();',
    ];
    for (const code of good) assert.deepEqual(await rulesFor('src/chat/probe.ts', code), [], code);
  });
});
