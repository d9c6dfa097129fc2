// Typed shims for the stable language-model API that is newer than the engine minimum (`engines.vscode` ^1.90):
// @types/vscode stays at 1.90 (vsce refuses types newer than the engine), so the shapes finalized in 1.95 and 1.104
// are declared here, each interface marked with the version that finalized it. test/unit/lm/apiSurface.test.ts
// checks every member below against the `vscode.d.ts` of that version, and src/lm/apiSurface.ts lists the
// namespace members read at run time, so nothing proposed can slip in.
//
// Every use goes through `lmApi()` / `lmClasses()`: when a member is missing (an older VS Code) the feature that
// needs it is simply not registered, and the sidebar chat keeps working.
import * as vscode from 'vscode';

/** @since 1.95 */
export interface LanguageModelTextPart {
  value: string;
}

/** @since 1.95 */
export interface LanguageModelToolCallPart {
  callId: string;
  name: string;
  input: object;
}

/** @since 1.95 */
export interface LanguageModelToolResultPart {
  callId: string;
  content: unknown[];
}

/** @since 1.95 */
export interface LanguageModelToolResult {
  content: unknown[];
}

/** @since 1.95 */
export interface LanguageModelToolInformation {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: object | undefined;
  readonly tags: readonly string[];
}

/** @since 1.95 */
export interface LanguageModelToolInvocationOptions<T> {
  toolInvocationToken: unknown;
  input: T;
}

/** @since 1.95 */
export interface LanguageModelToolInvocationPrepareOptions<T> {
  input: T;
}

/** @since 1.95 */
export interface PreparedToolInvocation {
  invocationMessage?: string | vscode.MarkdownString;
}

/** @since 1.95 */
export interface LanguageModelTool<T> {
  invoke(
    options: LanguageModelToolInvocationOptions<T>,
    token: vscode.CancellationToken,
  ): vscode.ProviderResult<LanguageModelToolResult>;
  prepareInvocation?(
    options: LanguageModelToolInvocationPrepareOptions<T>,
    token: vscode.CancellationToken,
  ): vscode.ProviderResult<PreparedToolInvocation>;
}

/** @since 1.95 */
export interface LanguageModelChatTool {
  name: string;
  description: string;
  inputSchema?: object | undefined;
}

/** @since 1.95 (the `model` of a chat request: the model picked in the Chat view). */
export interface ChatRequest {
  readonly model: vscode.LanguageModelChat;
  readonly toolInvocationToken: unknown;
}

/** @since 1.104 */
export interface LanguageModelChatInformation {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly tooltip?: string;
  readonly detail?: string;
  readonly version: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: { readonly imageInput?: boolean; readonly toolCalling?: boolean | number };
}

/** @since 1.104 */
export interface LanguageModelChatRequestMessage {
  readonly role: number;
  readonly content: ReadonlyArray<unknown>;
  readonly name: string | undefined;
}

/** @since 1.104 */
export interface ProvideLanguageModelChatResponseOptions {
  readonly modelOptions?: { readonly [name: string]: unknown };
  readonly tools?: readonly LanguageModelChatTool[];
  readonly toolMode: number;
}

/** @since 1.104 */
export interface PrepareLanguageModelChatModelOptions {
  readonly silent: boolean;
}

/** @since 1.104 */
export interface LanguageModelChatProvider<T extends LanguageModelChatInformation = LanguageModelChatInformation> {
  readonly onDidChangeLanguageModelChatInformation?: vscode.Event<void>;
  provideLanguageModelChatInformation(
    options: PrepareLanguageModelChatModelOptions,
    token: vscode.CancellationToken,
  ): vscode.ProviderResult<T[]>;
  provideLanguageModelChatResponse(
    model: T,
    messages: readonly LanguageModelChatRequestMessage[],
    options: ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<unknown>,
    token: vscode.CancellationToken,
  ): Thenable<void>;
  provideTokenCount(
    model: T,
    text: string | LanguageModelChatRequestMessage,
    token: vscode.CancellationToken,
  ): Thenable<number>;
}

/** The members of `vscode.lm` newer than 1.90 (each undefined on a VS Code that predates it). */
export interface LmNamespace {
  /** @since 1.95 */
  registerTool?: <T>(name: string, tool: LanguageModelTool<T>) => vscode.Disposable;
  /** @since 1.95 */
  readonly tools?: readonly LanguageModelToolInformation[];
  /** @since 1.95 */
  invokeTool?: (
    name: string,
    options: LanguageModelToolInvocationOptions<object>,
    token?: vscode.CancellationToken,
  ) => Thenable<LanguageModelToolResult>;
  /** @since 1.104 */
  registerLanguageModelChatProvider?: (vendor: string, provider: LanguageModelChatProvider) => vscode.Disposable;
}

/** `vscode.lm` with its newer members typed (each may be missing). */
export function lmApi(): LmNamespace {
  return vscode.lm as unknown as LmNamespace;
}

/** The classes newer than 1.90 that Bud constructs. */
export interface LmClasses {
  LanguageModelTextPart: new (value: string) => LanguageModelTextPart;
  LanguageModelToolCallPart: new (callId: string, name: string, input: object) => LanguageModelToolCallPart;
  LanguageModelToolResult: new (content: LanguageModelTextPart[]) => LanguageModelToolResult;
}

/** The part classes (1.95), or undefined on an older VS Code. */
export function lmClasses(): LmClasses | undefined {
  const api = vscode as unknown as Partial<LmClasses>;
  const { LanguageModelTextPart, LanguageModelToolCallPart, LanguageModelToolResult } = api;
  if (!LanguageModelTextPart || !LanguageModelToolCallPart || !LanguageModelToolResult) return undefined;
  return { LanguageModelTextPart, LanguageModelToolCallPart, LanguageModelToolResult };
}

/** Tool mode values (LanguageModelChatToolMode, 1.95): a plain number, so no enum object is read. */
export const TOOL_MODE_REQUIRED = 2;
/** Message roles (LanguageModelChatMessageRole): 1 user, 2 assistant; 3 is how VS Code passes system text. */
export const ROLE_ASSISTANT = 2;
export const ROLE_SYSTEM = 3;
