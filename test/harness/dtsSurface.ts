// The stable API surface declared by a `vscode.d.ts` (from @types/vscode): top-level names, namespace members, and
// the members of each interface and class. Used to prove that Bud reaches no proposed and no too-new API
// (test/unit/lm/apiSurface.test.ts, test/integration/apiSurface.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NEWER_STABLE_API } from '../../src/lm/apiSurface';
import { repoRoot } from './paths';

export interface DtsSurface {
  version: string;
  /** Top-level names: classes, interfaces, enums, namespaces, functions, types. */
  names: Set<string>;
  namespaces: Set<string>;
  /** `namespace.member` for every exported function / const / let of a namespace. */
  namespaceMembers: Set<string>;
  /** Members of interfaces and classes, by type name. */
  members: Map<string, Set<string>>;
}

/** Where each @types/vscode version lives: the engine's own and the aliased finalized versions. */
export const DTS_PACKAGES: Record<string, string> = {
  '1.90.0': '@types/vscode',
  '1.95.0': 'vscode-dts-1.95',
  '1.104.0': 'vscode-dts-1.104',
};

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

export function parseDts(text: string, version = ''): DtsSurface {
  const src = stripComments(text);
  const surface: DtsSurface = {
    version,
    names: new Set(),
    namespaces: new Set(),
    namespaceMembers: new Set(),
    members: new Map(),
  };
  const start = src.indexOf("declare module 'vscode'");
  let depth = 0;
  /** What each open brace belongs to: a namespace or type name at depth 1, else ''. */
  const owners: string[] = [];
  const decl =
    /\bexport\s+(?:declare\s+)?(class|interface|enum|namespace|function|const|let|type)\s+([A-Za-z_$][\w$]*)/y;
  const member = /\s*(?:readonly\s+|static\s+|private\s+|protected\s+)*([A-Za-z_$][\w$]*)\??\s*[:(<]/y;
  let pendingOwner = '';
  let lineStart = true;
  for (let i = start; i < src.length; i++) {
    const ch = src[i];
    if (ch === '{') {
      owners.push(pendingOwner);
      pendingOwner = '';
      depth++;
      lineStart = true;
      continue;
    }
    if (ch === '}') {
      owners.pop();
      depth--;
      if (depth === 0) break;
      continue;
    }
    if (ch === '\n' || ch === ';') {
      lineStart = true;
      continue;
    }
    if (!lineStart || /\s/.test(ch)) continue;
    lineStart = false;
    decl.lastIndex = i;
    const d = decl.exec(src);
    if (d && depth === 1) {
      const [, kind, name] = d;
      surface.names.add(name);
      if (kind === 'namespace') surface.namespaces.add(name);
      if (kind === 'class' || kind === 'interface' || kind === 'namespace' || kind === 'enum')
        pendingOwner = `${kind}:${name}`;
      continue;
    }
    const owner = owners[owners.length - 1] ?? '';
    if (
      d &&
      depth === 2 &&
      owner.startsWith('namespace:') &&
      (d[1] === 'function' || d[1] === 'const' || d[1] === 'let')
    ) {
      surface.namespaceMembers.add(`${owner.slice('namespace:'.length)}.${d[2]}`);
      continue;
    }
    if (depth === 2 && (owner.startsWith('interface:') || owner.startsWith('class:'))) {
      member.lastIndex = i;
      const m = member.exec(src);
      if (m) {
        const type = owner.slice(owner.indexOf(':') + 1);
        let set = surface.members.get(type);
        if (!set) surface.members.set(type, (set = new Set()));
        set.add(m[1]);
      }
    }
  }
  return surface;
}

const parsed = new Map<string, DtsSurface>();

/** The surface of one of the @types/vscode versions installed in the repo (each file is parsed once). */
export function dtsSurface(version: string): DtsSurface {
  const pkg = DTS_PACKAGES[version];
  if (!pkg)
    throw new Error(`no vscode.d.ts of ${version} in the repo (known: ${Object.keys(DTS_PACKAGES).join(', ')})`);
  let surface = parsed.get(version);
  if (!surface) {
    surface = parseDts(readFileSync(join(repoRoot(), 'node_modules', pkg, 'index.d.ts'), 'utf8'), version);
    parsed.set(version, surface);
  }
  return surface;
}

/** Whether `path` ("lm.tools", "Uri", "DiagnosticSeverity.Error") is declared by the surface. */
export function declares(surface: DtsSurface, path: string): boolean {
  const dot = path.indexOf('.');
  if (dot < 0) return surface.names.has(path);
  const head = path.slice(0, dot);
  if (surface.namespaces.has(head)) return surface.namespaceMembers.has(path);
  // A member of an enum (or a static of a class): its type is what must be stable.
  return surface.names.has(head);
}

/** `a` is a later VS Code version than `b` ("1.104.0" vs "1.90.2"). */
function laterThan(a: string, b: string): boolean {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
}

export interface ApiUseProblems {
  /** Read, but neither stable in 1.90 nor listed in NEWER_STABLE_API: proposed or undeclared API. */
  outside: string[];
  /** Listed in NEWER_STABLE_API, but read on a VS Code older than the version that finalized it. */
  tooNew: string[];
}

/** What is wrong with the API members (`lm.tools`, `Uri`) the extension read while running on VS Code `version`. */
export function apiUseProblems(used: Iterable<string>, version: string): ApiUseProblems {
  const base = dtsSurface('1.90.0');
  const newer = new Map(NEWER_STABLE_API.map((a) => [a.path, a.since]));
  const all = [...used].sort();
  return {
    outside: all.filter((p) => !declares(base, p) && !newer.has(p)),
    tooNew: all.filter((p) => newer.has(p) && laterThan(newer.get(p)!, version)),
  };
}
