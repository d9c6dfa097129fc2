// Path safety for the workspace tools: every path the model sends is resolved, symlinks followed, and checked
// against the workspace folders; anything that could read outside them is refused with a reason.
// Pure Node (node:fs, node:path); no `vscode` import.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { DenyChecker } from './deny';
import * as l10n from '@vscode/l10n';

export interface WorkspaceFolderInfo {
  /** The folder's name, used as a prefix in multi-root workspaces ("api/src/a.ts"). */
  name: string;
  /** Absolute file-system path. */
  fsPath: string;
}

export interface ResolvedFolder extends WorkspaceFolderInfo {
  /** realpath of fsPath. */
  real: string;
}

export interface ResolvedPath {
  ok: true;
  folder: ResolvedFolder;
  /** Absolute path after following symlinks (what gets read). */
  real: string;
  /** `real` relative to its workspace folder, `/`-separated ('' for the folder itself). */
  rel: string;
  /** What the model and the user see: rel, prefixed by the folder name in a multi-root workspace. */
  display: string;
}

export interface PathError {
  ok: false;
  /** Why, in English for the model (the tool result), with what to do instead. */
  error: string;
  /** The same in short, in the display language, for people: the tool call's row, a refused attachment. */
  summary: string;
}

const CASE_INSENSITIVE = process.platform === 'win32' || process.platform === 'darwin';
const norm = (p: string) => (CASE_INSENSITIVE ? p.toLowerCase() : p);

/** True when `child` is `parent` or inside it (both absolute and normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(norm(parent), norm(child));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

export class WorkspaceRoots {
  private constructor(readonly folders: ResolvedFolder[]) {}

  static async create(folders: WorkspaceFolderInfo[]): Promise<WorkspaceRoots> {
    const out: ResolvedFolder[] = [];
    for (const f of folders) {
      let real: string;
      try {
        real = await fsp.realpath(f.fsPath);
      } catch {
        continue; // a folder that does not exist on disk cannot be read
      }
      out.push({ name: f.name, fsPath: path.resolve(f.fsPath), real });
    }
    return new WorkspaceRoots(out);
  }

  get multiRoot(): boolean {
    return this.folders.length > 1;
  }

  /** The display form of a path relative to `folder`. */
  display(folder: ResolvedFolder, rel: string): string {
    if (!this.multiRoot) return rel === '' ? '.' : rel;
    return rel === '' ? folder.name : `${folder.name}/${rel}`;
  }

  /** The folder whose real path contains `real`, and the relative path inside it. */
  locateReal(real: string): { folder: ResolvedFolder; rel: string } | undefined {
    // The deepest folder wins when folders are nested.
    let best: ResolvedFolder | undefined;
    for (const f of this.folders) if (isInside(f.real, real) && (!best || f.real.length > best.real.length)) best = f;
    if (!best) return undefined;
    return { folder: best, rel: toPosix(path.relative(best.real, real)) };
  }

  /**
   * Resolves a path the model sent. Accepted: workspace-relative ("src/a.ts"), folder-prefixed in a multi-root
   * workspace ("api/src/a.ts"), absolute inside a workspace folder, "" or "." for the (single) root.
   */
  async resolve(
    input: unknown,
    deny: DenyChecker,
    opts: { allowRoot?: boolean } = {},
  ): Promise<ResolvedPath | PathError> {
    const err = (error: string, summary: string): PathError => ({ ok: false, error, summary });
    if (this.folders.length === 0)
      return err('No workspace folder is open, so there are no files to read.', l10n.t('No workspace folder is open'));
    if (typeof input !== 'string') return err('The path must be a string.', l10n.t('The path is not a string'));
    const raw = input.trim();
    const outside = () => l10n.t('{0} is outside the workspace', raw);
    const lexical = checkLexical(raw);
    if (lexical) return err(lexical, l10n.t('Not a workspace path'));
    const p = raw.replace(/\\/g, '/');

    let folder: ResolvedFolder | undefined;
    let abs: string;
    if (isAbsoluteInput(p)) {
      abs = path.resolve(p);
      folder = this.folders.find((f) => isInside(f.fsPath, abs) || isInside(f.real, abs));
      if (!folder)
        return err(
          `"${raw}" is outside the workspace folders; only files inside ${this.folderList()} can be read.`,
          outside(),
        );
    } else {
      const picked = await this.pickFolder(p);
      if ('error' in picked) return err(picked.error, l10n.t('{0}: start the path with a workspace folder name', raw));
      folder = picked.folder;
      abs = path.resolve(folder.fsPath, picked.rest);
      if (!isInside(folder.fsPath, abs))
        return err(`"${raw}" points outside the workspace folder (".." may not leave it).`, outside());
    }

    let real: string;
    try {
      real = await fsp.realpath(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR')
        return err(`"${raw}" was not found in the workspace.`, l10n.t('{0} was not found', raw));
      if (code === 'ELOOP') return err(`"${raw}" is a symbolic link loop.`, l10n.t('{0} is a symbolic link loop', raw));
      return err(
        `"${raw}" cannot be read (${code ?? 'error'}).`,
        l10n.t('{0} cannot be read ({1})', raw, code ?? 'error'),
      );
    }
    const located = this.locateReal(real);
    if (!located)
      return err(
        `"${raw}" resolves (through a symbolic link) to a place outside the workspace folders; it is refused.`,
        outside(),
      );

    // The deny list is checked on the path as asked and on the path after following links.
    const askedRel = toPosix(path.relative(folder.fsPath, abs));
    const denied = deny.reason(askedRel) ?? deny.reason(located.rel);
    if (denied) return err(denied, l10n.t('{0} is refused: it is on the deny list or in bud.tools.exclude', raw));
    if (located.rel === '' && !opts.allowRoot)
      return err(`"${raw}" is a workspace folder, not a file.`, l10n.t('{0} is a workspace folder, not a file', raw));
    return {
      ok: true,
      folder: located.folder,
      real,
      rel: located.rel,
      display: this.display(located.folder, located.rel),
    };
  }

  private folderList(): string {
    return this.folders.map((f) => `"${f.name}"`).join(', ');
  }

  private async pickFolder(p: string): Promise<{ folder: ResolvedFolder; rest: string } | { error: string }> {
    const clean = p.replace(/^(\.\/)+/, '');
    const [first, ...restParts] = clean.split('/');
    const rest = restParts.join('/');
    if (!this.multiRoot) {
      const only = this.folders[0];
      // "<folder name>/src/a.ts" is accepted too, when it does not name a real sub-folder.
      if (first === only.name && clean !== '' && !(await exists(path.resolve(only.fsPath, clean))))
        return { folder: only, rest };
      return { folder: only, rest: clean };
    }
    const named = this.folders.find((f) => f.name === first);
    if (named) return { folder: named, rest };
    if (clean === '' || clean === '.')
      return {
        error: `This workspace has several folders (${this.folderList()}); start the path with one of their names.`,
      };
    const hits: ResolvedFolder[] = [];
    for (const f of this.folders) {
      const abs = path.resolve(f.fsPath, clean);
      if (isInside(f.fsPath, abs) && (await exists(abs))) hits.push(f);
    }
    if (hits.length === 1) return { folder: hits[0], rest: clean };
    if (hits.length > 1)
      return {
        error: `"${p}" exists in several workspace folders; start the path with the folder name (${hits.map((f) => `"${f.name}"`).join(', ')}).`,
      };
    // Not found anywhere: resolve against the first folder so the caller reports "not found" (or an escape).
    return { folder: this.folders[0], rest: clean };
  }
}

/** The checks that need no file system: returns the refusal, or undefined. */
export function checkLexical(raw: string): string | undefined {
  if (raw.includes('\0')) return 'The path contains a NUL byte; it is refused.';
  if (raw.startsWith('~')) return `"${raw}" starts with "~" (a home directory); only workspace paths can be read.`;
  if (/^(\\\\|\/\/)/.test(raw) || /^[\\/]{2}[?.][\\/]/.test(raw))
    return `"${raw}" is a UNC / network path; only workspace paths can be read.`;
  if (/^[a-zA-Z]:/.test(raw)) {
    if (!(process.platform === 'win32' && /^[a-zA-Z]:[\\/]/.test(raw)))
      return `"${raw}" starts with a drive letter; only workspace paths can be read.`;
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(raw)) return `"${raw}" is a URL; give a workspace-relative file path.`;
  if (/[\r\n]/.test(raw)) return 'The path contains a line break; it is refused.';
  return undefined;
}

function isAbsoluteInput(p: string): boolean {
  if (process.platform === 'win32') return /^[a-zA-Z]:\//.test(p) || p.startsWith('/');
  return p.startsWith('/');
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch {
    return false;
  }
}
