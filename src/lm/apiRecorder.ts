// What `import * as vscode from 'vscode'` gives every module of the extension bundle (esbuild.mjs points the
// `vscode` import here). Outside tests it is VS Code's API object itself. With BUD_TEST_MODE=1 it is a view of it
// that records each namespace member and top-level name the extension reads, so the integration suite can prove
// that nothing but stable API of the declared versions was reached (src/lm/apiSurface.ts).
import * as real from 'vscode';
import { API_RECORD_KEY } from './apiSurface';

type Obj = Record<string, unknown>;

function recording(api: Obj): Obj {
  const used = new Set<string>();
  (globalThis as Obj)[API_RECORD_KEY] = used;
  const isNamespace = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
  const namespaces = new Map<string, Obj>();
  const view: Obj = {};
  for (const key of Object.keys(api)) {
    Object.defineProperty(view, key, {
      enumerable: true,
      get() {
        used.add(key);
        const value = api[key];
        if (!isNamespace(value)) return value;
        let ns = namespaces.get(key);
        if (!ns) {
          // Members are read live (window.activeTextEditor changes), and recorded as `namespace.member`.
          const wrapped: Obj = {};
          for (const member of Object.keys(value))
            Object.defineProperty(wrapped, member, {
              enumerable: true,
              get() {
                used.add(`${key}.${member}`);
                return (api[key] as Obj)[member];
              },
            });
          namespaces.set(key, wrapped);
          ns = wrapped;
        }
        return ns;
      },
    });
  }
  return view;
}

const api: typeof real = process.env.BUD_TEST_MODE === '1' ? (recording(real) as unknown as typeof real) : real;
export = api;
