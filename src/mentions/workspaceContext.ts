// What a workspace adds to every chat: its instruction files (AGENTS.md, .github/copilot-instructions.md,
// .bud/instructions.md at a folder's root), sent as part of the system prompt, and its prompt files
// (.bud/prompts/*.md, .github/prompts/*.prompt.md), offered as slash commands. Both only in a trusted workspace: in
// Restricted Mode they are ignored and the chat says so. Files are read through the tools' path checks (a link
// out of the workspace or onto the deny list is refused), fresh for every request.
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import { INSTRUCTION_FILES, instructionProblem, type InstructionFile } from '../chat/instructions';
import { BUILTIN_COMMANDS, parsePromptFile, PROMPT_DIRS, promptName } from '../chat/slashCommands';
import { readAttachmentSettings } from '../config/settings';
import type { InstructionsInfo, SlashCommandInfo } from '../protocol';
import type { FsToolContext } from '../tools/context';

export const RESTRICTED_INSTRUCTIONS = vscode.l10n.t(
  "Workspace instructions (AGENTS.md and the like) are ignored in Restricted Mode: Bud does not send a workspace's own instructions until you trust it.",
);
export const INSTRUCTIONS_OFF = vscode.l10n.t('Workspace instructions are turned off (bud.instructions.enabled).');
export const RESTRICTED_PROMPTS = vscode.l10n.t(
  "The workspace's prompt files are ignored in Restricted Mode; only the built-in commands are offered.",
);

export interface ReadInstructions {
  /** The files that are sent (text included). */
  files: (InstructionFile & { uri: string })[];
  /** Every file found, for the chips (those not sent carry a `problem`). */
  info: Omit<InstructionsInfo, 'tokens'>[];
  note?: string;
}

/** Reads a workspace file by its display path, through the tools' path checks; undefined when absent or refused. */
async function readChecked(ctx: FsToolContext, display: string): Promise<{ text: string; real: string } | undefined> {
  const r = await ctx.roots.resolve(display, ctx.deny);
  if (!r.ok) return undefined;
  try {
    const st = await fsp.stat(r.real);
    if (!st.isFile()) return undefined;
    return { text: await fsp.readFile(r.real, 'utf8'), real: r.real };
  } catch {
    return undefined;
  }
}

const displayIn = (ctx: FsToolContext, folderName: string, rel: string) =>
  ctx.roots.multiRoot ? `${folderName}/${rel}` : rel;

export async function readInstructions(ctx: FsToolContext): Promise<ReadInstructions> {
  if (!vscode.workspace.isTrusted) return { files: [], info: [], note: RESTRICTED_INSTRUCTIONS };
  if (!readAttachmentSettings().instructions) return { files: [], info: [], note: INSTRUCTIONS_OFF };
  const files: ReadInstructions['files'] = [];
  const info: ReadInstructions['info'] = [];
  for (const folder of ctx.roots.folders) {
    for (const rel of INSTRUCTION_FILES) {
      const path = displayIn(ctx, folder.name, rel);
      const got = await readChecked(ctx, path);
      if (!got) continue;
      const uri = vscode.Uri.file(got.real).toString();
      const problem = instructionProblem(path, got.text.length);
      info.push(problem ? { path, uri, problem } : { path, uri });
      if (!problem && got.text.trim()) files.push({ path, uri, text: got.text });
    }
  }
  return { files, info };
}

export interface PromptCommand extends SlashCommandInfo {
  /** The file to read when the command runs (built-ins: none). */
  display?: string;
}

/** The built-ins and the workspace's prompt files (a prompt file may replace a built-in of the same name). */
export async function listCommands(ctx: FsToolContext): Promise<{ commands: PromptCommand[]; note?: string }> {
  const byName = new Map<string, PromptCommand>();
  for (const b of BUILTIN_COMMANDS)
    byName.set(b.name, { name: b.name, description: b.description, source: 'built-in' });
  if (!vscode.workspace.isTrusted) return { commands: [...byName.values()], note: RESTRICTED_PROMPTS };
  for (const folder of ctx.roots.folders) {
    for (const { dir, suffix } of PROMPT_DIRS) {
      let names: string[];
      try {
        names = (await fsp.readdir(`${folder.real}/${dir}`)).sort();
      } catch {
        continue;
      }
      for (const fileName of names) {
        const name = promptName(fileName, suffix);
        if (!name) continue;
        const display = displayIn(ctx, folder.name, `${dir}/${fileName}`);
        const got = await readChecked(ctx, display);
        if (!got) continue;
        const parsed = parsePromptFile(got.text);
        byName.set(name, {
          name,
          description: parsed.description ?? (parsed.body.split('\n')[0] ?? '').slice(0, 80),
          source: display,
          uri: vscode.Uri.file(got.real).toString(),
          display,
        });
      }
    }
  }
  return { commands: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)) };
}

/** Reads a prompt file's body now (it may have changed since the list was made). */
export async function readPromptBody(ctx: FsToolContext, display: string): Promise<string | undefined> {
  const got = await readChecked(ctx, display);
  return got ? parsePromptFile(got.text).body : undefined;
}

/** Fires when an instruction or prompt file may have changed, trust was granted, or the setting changed. */
export function watchWorkspaceContext(onChange: () => void): vscode.Disposable {
  const w = vscode.workspace.createFileSystemWatcher(
    '**/{AGENTS.md,.github/copilot-instructions.md,.bud/instructions.md,.bud/prompts/*.md,.github/prompts/*.prompt.md}',
  );
  return vscode.Disposable.from(
    w,
    w.onDidCreate(onChange),
    w.onDidChange(onChange),
    w.onDidDelete(onChange),
    vscode.workspace.onDidGrantWorkspaceTrust(onChange),
    vscode.workspace.onDidChangeWorkspaceFolders(onChange),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('bud.instructions') || e.affectsConfiguration('bud.tools.exclude')) onChange();
    }),
  );
}
