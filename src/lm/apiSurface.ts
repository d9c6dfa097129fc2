// The VS Code API Bud reads at run time beyond the engine minimum (`engines.vscode` ^1.90.0), with the version that
// finalized each member. Pure: no `vscode` import. Checked by test/unit/lm/apiSurface.test.ts (each entry is in the
// stable `vscode.d.ts` of its version) and by test/integration/apiSurface.test.ts (everything the extension touched
// while the integration suite ran is either in 1.90's stable API or listed here): no proposed API can slip in,
// although code-server turns every proposal on.

export interface NewerApi {
  /** `namespace.member` or a top-level name, as `vscode.<path>`. */
  path: string;
  /** The VS Code release whose stable `vscode.d.ts` first declares it. */
  since: '1.95.0' | '1.104.0';
}

export const NEWER_STABLE_API: readonly NewerApi[] = [
  // #terminal (src/mentions/terminal.ts): stable since 1.93, used from 1.95 (the oldest d.ts this list is checked against).
  { path: 'window.onDidStartTerminalShellExecution', since: '1.95.0' },
  { path: 'window.onDidEndTerminalShellExecution', since: '1.95.0' },
  { path: 'lm.registerTool', since: '1.95.0' },
  { path: 'lm.tools', since: '1.95.0' },
  { path: 'lm.invokeTool', since: '1.95.0' },
  { path: 'LanguageModelTextPart', since: '1.95.0' },
  { path: 'LanguageModelToolCallPart', since: '1.95.0' },
  { path: 'LanguageModelToolResult', since: '1.95.0' },
  { path: 'lm.registerLanguageModelChatProvider', since: '1.104.0' },
];

/** The global under which the test-mode recorder keeps the paths it saw (see ./apiRecorder.ts). */
export const API_RECORD_KEY = 'bud.vscodeApiUsed';
