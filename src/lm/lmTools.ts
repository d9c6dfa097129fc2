// Bud's seven read-only workspace tools for every agent: `vscode.lm.registerTool` (stable since VS Code 1.95) with
// `contributes.languageModelTools`, as `bud_read_file`, `bud_list_directory`, … They run the panel's own tool
// executor, so the same rules hold: inside the workspace folders only, the deny list and bud.tools.exclude, off in
// Restricted Mode and when bud.tools.enabled is off. Read-only, so VS Code asks no confirmation.
import * as vscode from 'vscode';
import { readSettings } from '../config/settings';
import type { Session } from '../connection/session';
import type { Logger } from '../log/logger';
import type { ToolName } from '../tools/schemas';
import { BUD_TOOL_NAMES, invocationMessage } from './toolNames';
import { lmApi, lmClasses, type LanguageModelTool, type LmClasses } from './vscodeLm';

const TOOLS_OFF =
  "Bud's workspace tools are turned off (the setting bud.tools.enabled). Turn it on to let agents read the workspace through them.";

let calls = 0;

function budTool(name: ToolName, session: Session, classes: LmClasses): LanguageModelTool<object> {
  return {
    prepareInvocation: (options) => ({ invocationMessage: invocationMessage(name, options.input) }),
    invoke: async (options, token) => {
      if (!readSettings().tools.enabled) throw new Error(TOOLS_OFF);
      const executor = await session.workspaceTools();
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        const res = await executor.execute(
          { id: `lm_${++calls}`, type: 'function', function: { name, arguments: JSON.stringify(options.input ?? {}) } },
          abort.signal,
        );
        // A refusal or failure is an error for the agent, with the sentence the model can act on.
        if (res.isError) throw new Error(res.content.replace(/^Error: /, ''));
        return new classes.LanguageModelToolResult([new classes.LanguageModelTextPart(res.content)]);
      } finally {
        sub.dispose();
      }
    },
  };
}

/** Registers the tools when this VS Code has `vscode.lm.registerTool` (1.95+). */
export function registerLanguageModelTools(context: vscode.ExtensionContext, session: Session, log: Logger): void {
  const api = lmApi();
  const classes = lmClasses();
  if (!api.registerTool || !classes) {
    log.info(
      `Language-model tools: VS Code ${vscode.version} has no vscode.lm.registerTool (1.95+); Bud's tools serve only its own chat.`,
    );
    return;
  }
  for (const t of BUD_TOOL_NAMES)
    context.subscriptions.push(api.registerTool(t.lmName, budTool(t.name, session, classes)));
}
