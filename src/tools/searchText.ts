// search_text: ripgrep when available (VS Code ships it), else the built-in scanner; same excludes either way.
// Output: "path:line: text" for matches, "path-line- text" for context, "--" between groups. Pure Node.
import type { ToolResult } from './port';
import { CAPS, capLine, capOutput, clampInt } from './caps';
import { excludesOf, type FsToolContext } from './context';
import { errorResult } from './dispatch';
import { createGlobMatcher } from './findFiles';
import type { ResolvedFolder } from './paths';
import { buildSearchArgs, parseRgJsonLine, runRipgrep, type RgLine } from './ripgrep';
import { buildRegExp, scanFolder } from './scan';
import * as l10n from '@vscode/l10n';

export interface SearchQuery {
  query: string;
  isRegex: boolean;
  includeGlob?: string;
  maxResults: number;
  contextLines?: number;
}

export interface SearchOutcome {
  /** Lines per file (display path), in line order; files in the order found. */
  files: Map<string, RgLine[]>;
  matches: number;
  /** Stopped at maxResults. */
  truncated: boolean;
  engine: 'ripgrep' | 'scan';
}

/** The search itself, without formatting (the benchmark times this plus `formatSearch`). */
export async function searchWorkspace(
  ctx: FsToolContext,
  q: SearchQuery,
  signal?: AbortSignal,
): Promise<SearchOutcome> {
  const found = new FoundLines(ctx, q.maxResults, q.contextLines ?? CAPS.searchContextLines);
  for (const folder of ctx.roots.folders) {
    if (found.truncated || signal?.aborted) break;
    if (ctx.rgPath) await searchWithRipgrep(ctx.rgPath, ctx, folder, q, found, signal);
    else await searchWithScanner(ctx, folder, q, found, signal);
  }
  return {
    files: found.files,
    matches: found.matches,
    truncated: found.truncated,
    engine: ctx.rgPath ? 'ripgrep' : 'scan',
  };
}

/** The lines found so far, per file, up to the match limit. */
class FoundLines {
  readonly files = new Map<string, RgLine[]>();
  matches = 0;
  /** The match limit was reached: nothing more is kept. */
  truncated = false;

  constructor(
    private readonly ctx: FsToolContext,
    private readonly maxResults: number,
    readonly contextLines: number,
  ) {}

  /** Adds one file's lines (already in order); false once the match limit is reached. */
  addFile(folder: ResolvedFolder, lines: RgLine[]): boolean {
    if (this.truncated || lines.length === 0) return !this.truncated;
    const rel = lines[0].path;
    if (this.ctx.deny.denied(rel)) return true;
    const display = this.ctx.roots.display(folder, rel);
    const kept: RgLine[] = [];
    let lastMatch = -1;
    for (const l of lines) {
      if (l.kind === 'match') {
        if (this.matches >= this.maxResults) {
          this.truncated = true;
          break;
        }
        this.matches++;
        lastMatch = kept.length;
      }
      kept.push({ ...l, path: display, text: capLine(l.text) });
    }
    // Trailing context after the last kept match stays; lines after a cut-off match do not.
    if (this.truncated) kept.splice(lastMatch + 1 + this.contextLines);
    if (kept.some((l) => l.kind === 'match')) this.files.set(display, kept);
    return !this.truncated;
  }
}

/** One folder through `rg --json`: its lines are grouped per file as they stream in. */
async function searchWithRipgrep(
  rgPath: string,
  ctx: FsToolContext,
  folder: ResolvedFolder,
  q: SearchQuery,
  found: FoundLines,
  signal?: AbortSignal,
): Promise<void> {
  const ex = excludesOf(ctx, folder);
  let current: RgLine[] = [];
  const flush = () => {
    const ok = found.addFile(folder, current);
    current = [];
    return ok;
  };
  const res = await runRipgrep(
    rgPath,
    buildSearchArgs({
      useIgnoreFiles: ex.useIgnoreFiles,
      query: q.query,
      isRegex: q.isRegex,
      includeGlob: q.includeGlob,
      exclude: [...ex.files, ...ex.search],
      contextLines: found.contextLines,
    }),
    {
      cwd: folder.real,
      signal,
      onLine: (line) => {
        if (line.startsWith('{"type":"end"')) return flush();
        const l = parseRgJsonLine(line);
        if (!l) return true;
        if (current.length && current[0].path !== l.path && !flush()) return false;
        current.push(l);
        return true;
      },
    },
  );
  if (current.length) flush();
  if (res.code === 2 && !res.stopped && found.matches === 0) {
    throw new Error(`ripgrep could not run the search: ${res.stderr.split('\n')[0] || 'exit code 2'}`);
  }
}

/** One folder through the built-in scanner (no ripgrep): the same excludes, .gitignore and deny list. */
async function searchWithScanner(
  ctx: FsToolContext,
  folder: ResolvedFolder,
  q: SearchQuery,
  found: FoundLines,
  signal?: AbortSignal,
): Promise<void> {
  const ex = excludesOf(ctx, folder);
  const include = q.includeGlob ? createGlobMatcher(q.includeGlob) : undefined;
  await scanFolder(folder.real, {
    query: q.query,
    isRegex: q.isRegex,
    include: include ? (rel) => include(rel, ctx.roots.display(folder, rel)) : undefined,
    exclude: [...ex.files, ...ex.search],
    gitignore: ex.useIgnoreFiles !== false,
    deny: ctx.deny,
    contextLines: found.contextLines,
    maxFileBytes: CAPS.searchMaxFileBytes,
    maxMatches: q.maxResults + 1, // one more than shown, so a cut is detected and reported
    signal,
    onFile: (lines) => found.addFile(folder, lines),
  });
}

/** grep-style lines: files sorted by path, "--" between non-adjacent groups. */
export function formatSearchLines(outcome: SearchOutcome): string[] {
  const out: string[] = [];
  const paths = [...outcome.files.keys()].sort();
  for (const p of paths) {
    let prev = -2;
    for (const l of outcome.files.get(p)!) {
      if (out.length && l.line !== prev + 1) out.push('--');
      out.push(l.kind === 'match' ? `${p}:${l.line}: ${l.text}` : `${p}-${l.line}- ${l.text}`);
      prev = l.line;
    }
  }
  return out;
}

export async function searchTextTool(
  ctx: FsToolContext,
  args: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<ToolResult> {
  const query = typeof args.query === 'string' ? args.query : '';
  const isRegex = args.is_regex === true;
  const includeGlob =
    typeof args.include_glob === 'string' && args.include_glob.trim() ? args.include_glob.trim() : undefined;
  const maxResults = clampInt(args.max_results, CAPS.searchDefaultResults, 1, CAPS.searchMaxResults);
  if (ctx.roots.folders.length === 0)
    return errorResult('No workspace folder is open.', l10n.t('No workspace folder is open'));
  if (isRegex) {
    try {
      buildRegExp(query, true);
    } catch (e) {
      if (!ctx.rgPath)
        return errorResult(
          `"${query}" is not a valid regular expression: ${(e as Error).message}`,
          l10n.t('Invalid regular expression'),
        );
    }
  }
  let outcome: SearchOutcome;
  try {
    outcome = await searchWorkspace(ctx, { query, isRegex, includeGlob, maxResults }, signal);
  } catch (e) {
    return errorResult((e as Error).message, l10n.t('Search failed'));
  }
  const where = includeGlob ? ` in files matching "${includeGlob}"` : '';
  if (outcome.matches === 0) {
    return {
      content: `No matches for ${JSON.stringify(query)}${where} (files hidden by files.exclude, search.exclude and .gitignore, and binary files, are not searched).`,
      summary: l10n.t('No matches'),
      isError: false,
    };
  }
  const n = outcome.files.size;
  const header = `${outcome.matches}${outcome.truncated ? '+' : ''} match${outcome.matches === 1 ? '' : 'es'} in ${n} file${n === 1 ? '' : 's'} for ${JSON.stringify(query)}${where}:`;
  const lines = [header, ...formatSearchLines(outcome)];
  if (outcome.truncated)
    lines.push(
      `[Stopped after ${maxResults} matches. Narrow the query or use include_glob${maxResults < CAPS.searchMaxResults ? `, or raise max_results (up to ${CAPS.searchMaxResults})` : ''}.]`,
    );
  const capped = capOutput(lines, {
    hint: () => 'Use include_glob or a narrower query to see them, or read_file on a file above.',
  });
  return {
    content: capped.text,
    summary: matchSummary(outcome.matches, outcome.truncated, n),
    isError: false,
  };
}

/** "9 matches in 7 files", "200+ matches in 12 files" (stopped at the limit), on the call's row. */
function matchSummary(matches: number, truncated: boolean, files: number): string {
  if (truncated)
    return files === 1
      ? l10n.t('{0}+ matches in 1 file', matches)
      : l10n.t('{0}+ matches in {1} files', matches, files);
  if (matches === 1) return l10n.t('1 match in 1 file');
  return files === 1 ? l10n.t('{0} matches in 1 file', matches) : l10n.t('{0} matches in {1} files', matches, files);
}
