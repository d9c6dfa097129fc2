// Lints small import snippets, placed virtually anywhere in the repo, with the project's own eslint.config.mjs:
// what the layer rules say about an import, without writing a file. Type-aware rules are switched off (a virtual
// file is in no TypeScript project, and the layer rules need no types).
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

/** The two rules that draw the layers. */
export const LAYER_RULES = ['no-restricted-imports', 'import-x/no-restricted-paths'] as const;
export type LayerRule = (typeof LAYER_RULES)[number];

export interface ImportVerdict {
  specifier: string;
  /** The layer rules that reject this import (empty: allowed). */
  rules: LayerRule[];
}

export class LayerProbe {
  private readonly eslint: ESLint;

  constructor(readonly repo: string) {
    this.eslint = new ESLint({
      cwd: repo,
      overrideConfig: [
        tseslint.configs.disableTypeChecked,
        { languageOptions: { parserOptions: { projectService: false, project: null, program: null } } },
      ],
    });
  }

  /**
   * What the layer rules say about each import in a file at `filePath` (repo-relative; it need not exist).
   * Throws when the snippet does not parse or another rule fails, so a broken probe cannot pass as "allowed".
   */
  async imports(filePath: string, specifiers: string[]): Promise<ImportVerdict[]> {
    const text = specifiers.map((s) => `import '${s}';\n`).join('');
    const [result] = await this.eslint.lintText(text, { filePath: `${this.repo}/${filePath}` });
    if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
    const verdicts = specifiers.map((specifier) => ({ specifier, rules: [] as LayerRule[] }));
    for (const m of result.messages) {
      const rule = LAYER_RULES.find((r) => r === m.ruleId);
      if (!rule) throw new Error(`${filePath}:${m.line}: unexpected ${m.ruleId ?? 'parse error'}: ${m.message}`);
      verdicts[m.line - 1]?.rules.push(rule);
    }
    return verdicts;
  }

  /** The rules that reject `specifier` in a file at `filePath`. */
  async rulesAgainst(filePath: string, specifier: string): Promise<LayerRule[]> {
    const [verdict] = await this.imports(filePath, [specifier]);
    return verdict?.rules ?? [];
  }
}
