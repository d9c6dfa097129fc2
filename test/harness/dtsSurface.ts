// The stable API surface declared by a `vscode.d.ts` (from @types/vscode): top-level names, namespace members, and
// the members of each interface and class. Used to prove that Bud reaches no proposed and no too-new API
// (test/unit/lm/apiSurface.test.ts, test/integration/apiSurface.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** The surface of one of the @types/vscode versions installed in the repo. */
export function dtsSurface(version: string): DtsSurface {
  const pkg = DTS_PACKAGES[version];
  if (!pkg)
    throw new Error(`no vscode.d.ts of ${version} in the repo (known: ${Object.keys(DTS_PACKAGES).join(', ')})`);
  return parseDts(readFileSync(join(repoRoot(), 'node_modules', pkg, 'index.d.ts'), 'utf8'), version);
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
