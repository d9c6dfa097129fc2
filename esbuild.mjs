// Builds the extension host bundle, the webview bundle (JS + CSS + codicons) and, with --tests, the test files.
//   node esbuild.mjs               development build (sourcemaps)
//   node esbuild.mjs --production  minified, no sourcemaps (what the VSIX ships)
//   node esbuild.mjs --watch       rebuild on change
//   node esbuild.mjs --tests       also build test/** and bench/** into out/
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

/** Prints `[watch] build started/finished` so VS Code's esbuild problem matcher can follow along. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

function copyCodicons() {
  mkdirSync('dist/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf'])
    cpSync(join('node_modules/@vscode/codicons/dist', f), join('dist/codicons', f));
}

function findFiles(dir, suffix) {
  const out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...findFiles(p, suffix));
    else if (p.endsWith(suffix)) out.push(p);
  }
  return out;
}

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  plugins: [problemMatcher],
};

/**
 * undici is three quarters of the host code and only needed at the first request, so it is its own bundle,
 * dist/undici.js, which dist/extension.js requires at first use (src/api/client.ts): V8 then neither
 * compiles nor runs it while the extension activates.
 */
const undiciApart = {
  name: 'undici-apart',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: './undici.js', external: true }));
  },
};

/**
 * The o200k tokenizer is 2.4 MB of rank table and only needed when the first request or meter is counted, so it is
 * its own bundle too: dist/tokenizer.js, required at first use by src/context/tokenizer.ts.
 */
const TOKENIZER = 'gpt-tokenizer/encoding/o200k_base';
const tokenizerApart = {
  name: 'tokenizer-apart',
  setup(build) {
    build.onResolve({ filter: /^gpt-tokenizer\/cjs\/encoding\/o200k_base$/ }, () => ({
      path: './tokenizer.js',
      external: true,
    }));
  },
};

/**
 * Every `import … from 'vscode'` of the extension resolves to src/lm/apiRecorder.ts, which hands back VS Code's API
 * object (and, in test mode only, a view of it that records what is read; see src/lm/apiSurface.ts). The recorder
 * itself gets the real, external `vscode`.
 */
const vscodeApiRecorder = {
  name: 'vscode-api-recorder',
  setup(build) {
    const recorder = join(process.cwd(), 'src/lm/apiRecorder.ts');
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.importer === recorder ? { path: 'vscode', external: true } : { path: recorder },
    );
  },
};

const contexts = [
  await esbuild.context({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [...common.plugins, undiciApart, tokenizerApart, vscodeApiRecorder],
  }),
  await esbuild.context({
    ...common,
    entryPoints: [{ in: TOKENIZER, out: 'tokenizer' }],
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  }),
  await esbuild.context({
    ...common,
    entryPoints: [{ in: 'undici', out: 'undici' }],
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  }),
  await esbuild.context({
    ...common,
    // Same output name, different extensions: dist/webview.js and dist/webview.css.
    entryPoints: [
      { in: 'src/webview-app/main.ts', out: 'webview' },
      { in: 'src/webview-app/styles/chat.css', out: 'webview' },
    ],
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  }),
];

if (tests) {
  const entryPoints = [...findFiles('test', '.ts').filter((f) => !f.endsWith('.d.ts')), ...findFiles('bench', '.ts')];
  contexts.push(
    await esbuild.context({
      entryPoints,
      outdir: 'out',
      outbase: '.',
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: true,
      packages: 'external',
      external: ['vscode'],
      logLevel: 'warning',
      plugins: [problemMatcher],
    }),
  );
}

copyCodicons();
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
