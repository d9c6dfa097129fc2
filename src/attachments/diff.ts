// The git diff of #changes, with files the tools may not read taken out. Pure: no `vscode` import.
//
// A unified diff from git is a run of file sections, each starting with `diff --git a/<old> b/<new>`. A section
// whose old or new path is refused (the deny list: `.env`, keys, credentials…, or bud.tools.exclude) is left out
// whole, and its path is reported so the user is told; its content never reaches the model.

export interface FilteredDiff {
  text: string;
  /** Paths of the sections left out. */
  omitted: string[];
  /** Paths of the sections kept. */
  files: string[];
}

/** Undoes git's C-style quoting of a path ("a/sp ace\\303\\251" → a/sp aceé). */
export function unquoteGitPath(p: string): string {
  if (!(p.startsWith('"') && p.endsWith('"') && p.length >= 2)) return p;
  const bytes: number[] = [];
  const body = p.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      continue;
    }
    const next = body[i + 1];
    if (/[0-7]/.test(next ?? '')) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else if (next !== undefined && next in simple) {
      bytes.push(simple[next]);
      i += 1;
    } else bytes.push(92);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The two paths of a `diff --git` header line, without their a/ and b/ prefixes. */
export function headerPaths(line: string): string[] {
  const rest = line.slice('diff --git '.length);
  const quoted = /^("(?:[^"\\]|\\.)*")\s+("(?:[^"\\]|\\.)*")$/.exec(rest);
  let pair: string[];
  if (quoted) pair = [unquoteGitPath(quoted[1]), unquoteGitPath(quoted[2])];
  else {
    // Unquoted: "a/x b/x". With spaces in names the split is ambiguous; the halves are equal for a plain change.
    const half = (rest.length - 1) / 2;
    if (Number.isInteger(half) && rest.slice(2, half) === rest.slice(half + 3))
      pair = [rest.slice(0, half), rest.slice(half + 1)];
    else {
      const at = rest.indexOf(' b/');
      pair = at >= 0 ? [rest.slice(0, at), rest.slice(at + 1)] : [rest];
    }
  }
  return pair.map((p) => p.replace(/^[ab]\//, ''));
}

/** Leaves out the sections of `patch` for which `denied(path)` is true. */
export function filterDiff(patch: string, denied: (path: string) => boolean): FilteredDiff {
  const out: string[] = [];
  const omitted: string[] = [];
  const files: string[] = [];
  let keep = true;
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) {
      const paths = headerPaths(line);
      keep = !paths.some(denied);
      const name = paths[paths.length - 1];
      if (keep) files.push(name);
      else omitted.push(name);
    }
    if (keep) out.push(line);
  }
  return { text: out.join('\n').replace(/\n+$/, ''), omitted, files };
}
