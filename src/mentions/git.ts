// #changes: the uncommitted changes of the workspace's git repositories, read through the built-in Git extension's
// API (`vscode.git`, API version 1): the diff of the index (staged) and of the working tree (unstaged), and the
// names of untracked files. Sections of files the tools may not read (`.env`, keys, bud.tools.exclude) are left out
// and named in the note.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { filterDiff } from '../attachments/diff';
import { formatContext } from '../chat/prompts';
import { textAttachment, type Resolved } from '../attachments/resolved';
import type { SourceEnv } from './sources';

/** The part of the Git extension's API (extensions/git/src/api/git.d.ts) used here. */
interface GitChange {
  readonly uri: vscode.Uri;
  readonly status: number;
}
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: { readonly workingTreeChanges: readonly GitChange[]; readonly indexChanges: readonly GitChange[] };
  diff(cached?: boolean): Promise<string>;
}
interface GitApi {
  readonly repositories: readonly GitRepository[];
}
interface GitExtension {
  getAPI(version: 1): GitApi;
}

/** Status.UNTRACKED in the Git extension's API. */
const UNTRACKED = 7;

async function gitApi(): Promise<GitApi | string> {
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!ext) return 'The built-in Git extension is not available, so the changes cannot be read.';
  try {
    const exports = ext.isActive ? ext.exports : await ext.activate();
    return exports.getAPI(1);
  } catch (err) {
    return vscode.l10n.t(
      'Git is not available ({0}); check that git is installed and the "git.enabled" setting is on.',
      err instanceof Error ? err.message : String(err),
    );
  }
}

/** The workspace path of a file in a repository, for the deny list and the headers. */
function workspacePath(env: SourceEnv, repoRoot: string, rel: string): string | undefined {
  const loc = env.ctx.roots.locateReal(path.join(repoRoot, rel));
  return loc ? loc.rel : undefined;
}

export async function changesAttachment(env: SourceEnv): Promise<Resolved | string> {
  const api = await gitApi();
  if (typeof api === 'string') return api;
  const repos = api.repositories.filter((r) => env.ctx.roots.locateReal(r.rootUri.fsPath) !== undefined);
  if (repos.length === 0)
    return vscode.l10n.t(
      'No git repository is open in this workspace (the Source Control view shows none), so there are no changes to attach.',
    );
  const sections: string[] = [];
  const omitted: string[] = [];
  const untracked: string[] = [];
  let files = 0;
  for (const repo of repos) {
    const root = repo.rootUri.fsPath;
    const denied = (rel: string) => {
      const ws = workspacePath(env, root, rel);
      return ws === undefined ? true : env.ctx.deny.denied(ws);
    };
    const [staged, unstaged] = await Promise.all([repo.diff(true), repo.diff(false)]);
    for (const [label, patch] of [
      ['Staged (index)', staged],
      ['Not staged (working tree)', unstaged],
    ] as const) {
      if (!patch.trim()) continue;
      const f = filterDiff(patch, denied);
      omitted.push(...f.omitted);
      files += f.files.length;
      if (f.text.trim()) sections.push(`# ${label}${repos.length > 1 ? ` in ${path.basename(root)}` : ''}\n${f.text}`);
    }
    for (const c of repo.state.workingTreeChanges) {
      if (c.status !== UNTRACKED) continue;
      const rel = path.relative(root, c.uri.fsPath).split(path.sep).join('/');
      if (denied(rel)) omitted.push(rel);
      else untracked.push(rel);
    }
  }
  if (untracked.length) sections.push(`# Untracked files (new, not yet added)\n${untracked.join('\n')}`);
  if (sections.length === 0 && omitted.length === 0) return vscode.l10n.t('There are no uncommitted changes.');
  const unique = [...new Set(omitted)];
  const note = unique.length
    ? `Left out: ${unique.join(', ')} (${unique.length === 1 ? 'it matches' : 'they match'} the deny list for secrets or bud.tools.exclude).`
    : undefined;
  const label = `Changes (${files} file${files === 1 ? '' : 's'}${untracked.length ? `, ${untracked.length} untracked` : ''})`;
  const resolved = textAttachment(
    { kind: 'changes', path: '', uri: '', language: 'diff', startLine: 0, endLine: 0, label },
    sections.join('\n\n') || '(only files that may not be sent have changes)',
    { count: env.count, maxTokens: env.maxTokens, name: 'The diff' },
  );
  if (!note) return resolved;
  // The deny-list note stays with whatever the budget leaves of the diff.
  return {
    need: resolved.need,
    fit: async (budget) => {
      const ctx = await resolved.fit(budget);
      const withNote = { ...ctx, note: ctx.note ? `${note} ${ctx.note}` : note };
      return { ...withNote, tokens: env.count(formatContext(withNote)) };
    },
  };
}
