// Names and one-line descriptions of Bud's workspace tools as VS Code's agents see them. Pure: no `vscode` import.
import * as l10n from '@vscode/l10n';
import { TOOL_DEFINITIONS, type ToolName } from '../tools/schemas';

/** Bud's tools carry this prefix in `vscode.lm.tools` (`bud_read_file`, …), so they never clash with others'. */
export const BUD_TOOL_PREFIX = 'bud_';

export const BUD_TOOL_NAMES = (Object.keys(TOOL_DEFINITIONS) as ToolName[]).map((n) => ({
  name: n,
  lmName: `${BUD_TOOL_PREFIX}${n}`,
}));

/** Whether a `vscode.lm.tools` entry is one of Bud's own. */
export function isBudTool(lmName: string): boolean {
  return BUD_TOOL_NAMES.some((t) => t.lmName === lmName);
}

/** What VS Code shows while the tool runs ("Reading src/a.ts"). */
export function invocationMessage(name: ToolName, input: unknown): string {
  const a = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const s = (k: string) => (typeof a[k] === 'string' ? a[k] : '');
  switch (name) {
    case 'read_file':
      return s('path') ? l10n.t('Reading {0}', s('path')) : l10n.t('Reading a file');
    case 'list_directory':
      return s('path') ? l10n.t('Listing {0}', s('path')) : l10n.t('Listing the workspace');
    case 'find_files':
      return l10n.t('Finding files matching {0}', s('glob') || '…');
    case 'search_text':
      return l10n.t('Searching for "{0}"', s('query'));
    case 'get_diagnostics':
      return s('path') ? l10n.t('Reading the problems in {0}', s('path')) : l10n.t('Reading the Problems view');
    case 'get_open_editors':
      return l10n.t('Looking at the open editors');
    case 'get_document_symbols':
      return s('path') ? l10n.t('Reading the outline of {0}', s('path')) : l10n.t('Reading the outline of a file');
  }
}
