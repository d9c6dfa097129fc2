// What the user attached to an `@bud` request (`#file`, a selection, text VS Code resolved): read through Bud's own
// `read_file`, so attachments obey the tools' rules (inside the workspace folders, the deny list and
// bud.tools.exclude, Restricted Mode, binary files, size caps). What is cut or refused is said in the answer.
import * as vscode from 'vscode';
import type { ToolExecutor } from '../tools/port';
import { NOT_FOR_BUD, readFileArgs, referenceOutcome, type Attachment, type ReferenceTarget } from './participantCore';
import * as l10n from '@vscode/l10n';

export interface ReadReferences {
  attachments: Attachment[];
  /** For the user: what was not sent, or only in part. */
  notes: string[];
  /** The files and ranges sent, for VS Code's "Used references" list. */
  used: (vscode.Uri | vscode.Location)[];
  /** The ids of references VS Code added that are not for Bud (NOT_FOR_BUD), for the log. */
  ignored: string[];
}

const NOT_ON_DISK = 'only files on disk in the workspace are sent';

/** A reference as plain data. */
export function referenceTarget(ref: vscode.ChatPromptReference): ReferenceTarget {
  const v = ref.value;
  const name = ref.modelDescription?.trim() || `#${ref.id}`;
  if (v instanceof vscode.Uri)
    return v.scheme === 'file'
      ? { kind: 'file', fsPath: v.fsPath }
      : { kind: 'other', name: v.toString(), why: NOT_ON_DISK };
  if (v instanceof vscode.Location) {
    if (v.uri.scheme !== 'file') return { kind: 'other', name: v.uri.toString(), why: NOT_ON_DISK };
    const { start, end } = v.range;
    // A range ending at the start of a line does not include that line.
    const last = end.character === 0 && end.line > start.line ? end.line : end.line + 1;
    return { kind: 'file', fsPath: v.uri.fsPath, lines: { start: start.line + 1, end: last } };
  }
  if (typeof v === 'string') return { kind: 'text', name, text: v };
  return { kind: 'other', name, why: l10n.t('Bud sends files, ranges of files and text') };
}

/** Reads each reference (in order) that `skip` does not rule out. */
export async function readReferences(
  refs: readonly vscode.ChatPromptReference[],
  tools: ToolExecutor,
  signal: AbortSignal,
  skip: (ref: vscode.ChatPromptReference) => boolean = () => false,
): Promise<ReadReferences> {
  const out: ReadReferences = { attachments: [], notes: [], used: [], ignored: [] };
  for (const [i, ref] of refs.entries()) {
    if (skip(ref)) continue;
    if (NOT_FOR_BUD.has(ref.id)) {
      out.ignored.push(ref.id);
      continue;
    }
    const target = referenceTarget(ref);
    const read =
      target.kind === 'file'
        ? await tools.execute(
            {
              id: `reference_${i}`,
              type: 'function',
              function: { name: 'read_file', arguments: JSON.stringify(readFileArgs(target)) },
            },
            signal,
          )
        : undefined;
    const { attachment, note } = referenceOutcome(target, read);
    if (attachment) {
      out.attachments.push(attachment);
      if (ref.value instanceof vscode.Uri || ref.value instanceof vscode.Location) out.used.push(ref.value);
    }
    if (note) out.notes.push(note);
  }
  return out;
}
