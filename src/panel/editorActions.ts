// What the webview asks the editor to do: open links (through VS Code's own link handling, which shows its
// trusted-domain prompt), open a code chip's file at its range, and copy / insert / open a code block.
import * as vscode from 'vscode';
import { checkLink } from './links';

export async function openLink(href: string, log: (line: string) => void): Promise<void> {
  const res = checkLink(href);
  if (!res.ok) {
    log(`Refused to open a link from an answer (${res.reason}): ${href.slice(0, 200)}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Bud Chat did not open that link: {0}.', res.reason));
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(res.url, true));
}

export async function openContext(uri: string, startLine: number, endLine: number): Promise<void> {
  let target: vscode.Uri;
  try {
    target = vscode.Uri.parse(uri, true);
  } catch {
    return;
  }
  if (
    !['file', 'untitled', 'vscode-remote', 'vscode-userdata'].includes(target.scheme) &&
    !vscode.workspace.getWorkspaceFolder(target)
  ) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Bud Chat cannot open {0}: documents.', target.scheme));
    return;
  }
  try {
    const doc = await vscode.workspace.openTextDocument(target);
    const start = Math.max(0, Math.min(startLine - 1, doc.lineCount - 1));
    const end = Math.max(start, Math.min(endLine - 1, doc.lineCount - 1));
    const range = new vscode.Range(start, 0, end, doc.lineAt(end).text.length);
    await vscode.window.showTextDocument(doc, { selection: range, preview: true });
  } catch (err) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Could not open {0}: {1}', target.fsPath || uri, (err as Error).message),
    );
  }
}

export async function copyCode(code: string, what = 'Code'): Promise<void> {
  await vscode.env.clipboard.writeText(code);
  void vscode.window.setStatusBarMessage(`$(check) ${what} copied`, 2000);
}

export async function insertCode(code: string): Promise<void> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Open a file to insert the code into (or use "Open in New Editor").'),
    );
    return;
  }
  const ok = await editor.edit((b) => {
    for (const s of editor.selections) b.replace(s, code);
  });
  if (!ok)
    void vscode.window.showWarningMessage(vscode.l10n.t('The code could not be inserted (is the editor read-only?).'));
}

/** Fence names models use that are not VS Code language ids. */
const LANGUAGE_ALIASES: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  jsx: 'javascriptreact',
  py: 'python',
  rb: 'ruby',
  sh: 'shellscript',
  bash: 'shellscript',
  zsh: 'shellscript',
  shell: 'shellscript',
  console: 'shellscript',
  yml: 'yaml',
  md: 'markdown',
  rs: 'rust',
  golang: 'go',
  'c++': 'cpp',
  cs: 'csharp',
  'c#': 'csharp',
  kt: 'kotlin',
  ps1: 'powershell',
  dockerfile: 'dockerfile',
  docker: 'dockerfile',
  text: 'plaintext',
  txt: 'plaintext',
  jsonc: 'jsonc',
  json5: 'jsonc',
};

export async function openCodeInEditor(code: string, language?: string): Promise<void> {
  const raw = language && /^[A-Za-z0-9_+.#-]{1,40}$/.test(language) ? language.toLowerCase() : undefined;
  const known = raw ? await vscode.languages.getLanguages() : [];
  const lang = raw ? (known.includes(raw) ? raw : LANGUAGE_ALIASES[raw]) : undefined;
  let doc: vscode.TextDocument;
  try {
    doc = await vscode.workspace.openTextDocument({ content: code, language: lang });
  } catch {
    doc = await vscode.workspace.openTextDocument({ content: code });
  }
  await vscode.window.showTextDocument(doc, { preview: false });
}
