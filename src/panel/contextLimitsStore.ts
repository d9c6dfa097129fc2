// The context limits of this VS Code installation, kept in globalState: windows learned from refusals and the
// per-model calibration survive reloads and are shared by every window (read at activation).
import type * as vscode from 'vscode';
import { ContextLimits } from '../context/limits';

const KEY = 'bud.contextLimits';

export function createContextLimits(context: Pick<vscode.ExtensionContext, 'globalState'>): ContextLimits {
  return new ContextLimits({
    data: context.globalState.get<unknown>(KEY),
    save: (data) => {
      void context.globalState.update(KEY, data);
    },
  });
}
