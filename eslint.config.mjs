// ESLint flat config: type-checked TypeScript rules, and the layer rules that keep the architecture honest.
// The layers (CONTRIBUTING.md has the map; `test/unit/layers.test.ts` checks that map against this file, and that
// each rule below still fires):
//   src/api          the HTTP client: no `vscode`, nothing else from src/
//   src/chat, src/context, src/attachments, the tool logic in src/tools: no `vscode`; from src/ only each other,
//                    src/api and the protocol, so plain-Node tests cover them (src/tools/workspaceTools.ts is the
//                    vscode-backed part)
//   src/protocol.ts  shared by both bundles: no `vscode`; from src/ only src/api's types
//   src/webview-app  the browser app: no `vscode`; only itself and src/protocol.ts
//   the host side    never the webview app (it shares only src/protocol.ts with it)
//   src/, scripts/   never test/
// Formatting is Prettier's job (`npm run format`); eslint-config-prettier turns off the rules it owns.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Source files that talk to VS Code inside otherwise vscode-free folders. */
const VSCODE_BACKED_TOOLS = ['src/tools/workspaceTools.ts'];

/** The pure part of src/lm (mapping, model info, tool names): no `vscode`, so plain-Node tests cover it. */
const PURE_LM = [
  'src/lm/messages.ts',
  'src/lm/responseParts.ts',
  'src/lm/parts.ts',
  'src/lm/modelInfo.ts',
  'src/lm/toolNames.ts',
  'src/lm/participantCore.ts',
  'src/lm/foreignCore.ts',
  'src/lm/apiSurface.ts',
];

/** The folders whose code may not import `vscode` (tests run them in plain Node). */
const PURE = ['./src/chat', './src/context', './src/attachments', './src/tools'];

/**
 * The layer zones: files in `target` may not import from `from` (except `except`, relative to `from`). Paths are
 * from the repo root (`basePath` below), whatever folder ESLint runs in.
 */
const zones = [
  {
    target: './src/api',
    from: './src',
    except: ['./api'],
    message: 'src/api is the HTTP client layer: it may not depend on the protocol, the chat or anything above it.',
  },
  {
    target: PURE,
    from: './src',
    except: ['./api', './chat', './context', './attachments', './tools', './protocol.ts'],
    message:
      'The pure layers (chat, context, attachments, tool logic) import only each other, src/api and the protocol.',
  },
  {
    target: PURE,
    from: VSCODE_BACKED_TOOLS.map((f) => `./${f}`),
    message: 'workspaceTools.ts is the vscode-backed part of the tools: only the host side may import it.',
  },
  {
    target: './src/protocol.ts',
    from: './src',
    except: ['./api', './protocol.ts'],
    message: 'src/protocol.ts is shared by both bundles: it may import only types from src/api.',
  },
  {
    target: './src/webview-app',
    from: './src',
    except: ['./webview-app', './protocol.ts'],
    message: 'The webview app may import only itself and src/protocol.ts (it runs in the browser).',
  },
  {
    target: ['./src/!(webview-app)/**', './src/*.ts'],
    from: './src/webview-app',
    message: 'The extension host shares only src/protocol.ts with the webview app (browser code).',
  },
  {
    target: ['./src', './scripts'],
    from: './test',
    message: 'Product code and scripts may not import test code (move the shared piece out of test/).',
  },
];

/**
 * Numbers and dates people read follow VS Code's display language, so a locale written into the code is an error:
 * `formatNumber` (src/api/locale.ts) on the host and in the pure layers, `formatNumber`/`formatRelativeTime`
 * (src/webview-app/app/dom.ts) in the view, `modelNumber` for English text the model reads.
 */
const HARD_CODED_LOCALE_MESSAGE =
  'Format numbers and dates in the display language: formatNumber (src/api/locale.ts, or the webview dom.ts), or modelNumber for text the model reads.';
const hardCodedLocale = [
  'error',
  {
    selector: 'CallExpression[callee.property.name=/^toLocale(String|DateString|TimeString)$/] > Literal.arguments',
    message: HARD_CODED_LOCALE_MESSAGE,
  },
  {
    selector: "NewExpression[callee.object.name='Intl'] > Literal.arguments",
    message: HARD_CODED_LOCALE_MESSAGE,
  },
];

/** `no-restricted-imports` options that forbid `vscode` in a layer. */
const noVscode = (why) => ['error', { paths: [{ name: 'vscode', message: why }] }];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'out/',
      'dist-vsix/',
      'test-results/',
      '.vscode-test/',
      'demo/workspace/',
      'test/fixtures/workspace/',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            '*.mjs',
            'scripts/*.mjs',
            'bench/*.mjs',
            'test/e2e/*.mjs',
            'test/harness/*.cjs',
            'test/harness/runner-extension/*.js',
          ],
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 40,
        },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.css'] })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `typeof import('x')` with `require` is how heavy modules load at first use, not at activation.
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'import-x/no-restricted-paths': ['error', { zones, basePath: import.meta.dirname }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      curly: ['error', 'multi-line'],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-syntax': hardCodedLocale },
  },
  {
    // The vscode-free layers.
    files: [
      'src/api/**/*.ts',
      'src/chat/**/*.ts',
      'src/context/**/*.ts',
      'src/attachments/**/*.ts',
      'src/tools/**/*.ts',
      'src/protocol.ts',
      ...PURE_LM,
    ],
    ignores: VSCODE_BACKED_TOOLS,
    rules: {
      'no-restricted-imports': noVscode('This layer is pure (no vscode): pass what it needs in through an interface.'),
    },
  },
  {
    files: ['src/webview-app/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': noVscode(
        'The webview app runs in the browser: it talks to VS Code only through messages.',
      ),
    },
  },
  {
    // Tests, benches and the dev servers in scripts/: mocha globals, and `any` where code pokes at wire shapes
    // on purpose (request bodies of any form, hostile payloads).
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'test/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { ...globals.mocha, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Fakes implement async interfaces without awaiting; mocha passes methods around unbound.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
