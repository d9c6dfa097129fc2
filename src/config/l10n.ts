// One `t()` for every layer. Host code calls `vscode.l10n.t`; the pure layers (src/api, src/chat, src/context, the
// tool logic) cannot import vscode, so they call `l10n.t` of @vscode/l10n, which this configures once at activation
// with the same bundle VS Code loaded for the display language. Unconfigured (unit tests) it formats the English.
// Numbers follow the same display language (src/api/locale.ts).
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { setDisplayLocale } from '../api/locale';

export function configureL10n(): void {
  const bundle = vscode.l10n.bundle;
  if (bundle) l10n.config({ contents: bundle });
  setDisplayLocale(vscode.env.language);
}
