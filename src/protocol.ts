// The one host <-> webview protocol. Imported by the extension host (src/panel) and by the webview
// (src/webview-app); both tsconfigs include this file, so a drift fails the type check.
// Rules: the host posts nothing before the webview says `ready`; while an answer streams the host posts
// only deltas (`answerDelta`, batched), never the whole conversation again.
// It holds types, a few constant tables and tiny pure helpers only (no imports of runtime code), so it is safe in both
// bundles.

import type { ErrorKind } from './api/errors';

/** What a stored message's answer ended as. Only `complete` answers are ever sent back to the model as-is. */
export type MessageStatus =
  | 'streaming' // still arriving (never persisted as such: a reload turns it into `interrupted`)
  | 'complete'
  | 'stopped' // the user pressed Stop; the partial text is kept
  | 'error' // the request failed; partial text (if any) kept, `error` says why
  | 'interrupted'; // the window closed / extension host died mid-answer

/**
 * What an attachment is. `selection` is the original kind (Explain Selection, Add Selection to Chat); the others
 * come from the # picker, the Explorer and editor-tab menus, drag and drop and slash commands.
 */
export type AttachmentKind = 'selection' | 'file' | 'folder' | 'problems' | 'changes' | 'terminal' | 'prompt';

export const ATTACHMENT_KINDS: readonly AttachmentKind[] = [
  'selection',
  'file',
  'folder',
  'problems',
  'changes',
  'terminal',
  'prompt',
];

/**
 * Something attached to a user message: code, a file, a folder listing, the Problems, the git changes, the last
 * terminal command, or an expanded prompt file. Saved with the message exactly as it was sent.
 */
export interface CodeContext {
  /** Absent in chats saved before attachments had kinds: a selection. */
  kind?: AttachmentKind;
  /** Workspace-relative path when inside a workspace folder, else the file's fsPath / untitled name; '' when none. */
  path: string;
  /** The document URI as a string, used to open the file at the range when the chip is clicked; '' when none. */
  uri: string;
  language: string;
  /** 1-based, inclusive (0 when the attachment has no lines of a file). */
  startLine: number;
  endLine: number;
  text: string;
  /** The chip's label where the path does not say it ("Problems", "Terminal: npm test", "/review"). */
  label?: string;
  /** Why the content is not all of it (outline plus head and tail, output cut): shown on the chip and sent. */
  note?: string;
  /** Tokens the attachment adds to the message, counted when it was attached and again when it was sent. */
  tokens?: number;
  /** Lines of the whole file, when the attachment is (part of) a file. */
  totalLines?: number;
}

/** One row of the # picker. The host builds them and resolves the chosen one by `id`. */
export interface MentionItem {
  id: string;
  kind: 'file' | 'folder' | 'currentFile' | 'selection' | 'problems' | 'fileProblems' | 'changes' | 'terminal';
  /** The main text ("math.ts", "#problems"). */
  label: string;
  /** The second text: the folder, or what the item attaches. */
  detail: string;
  /** Indexes of `label` characters the query matched (highlighted). */
  matches?: number[];
  /** What replaces the typed "#query" in the message ("#math.ts "). */
  insert: string;
}

/** A `/name` command of the composer: a built-in or a prompt file of the workspace. */
export interface SlashCommandInfo {
  name: string;
  description: string;
  /** Where it comes from: 'built-in', or the prompt file's workspace path. */
  source: string;
  /** The prompt file's URI (opens it), when it is one. */
  uri?: string;
}

/** A workspace instruction file sent with every request (AGENTS.md, .github/copilot-instructions.md, …). */
export interface InstructionsInfo {
  path: string;
  uri: string;
  tokens: number;
  /** Set when the file is not sent (too large): why. */
  problem?: string;
}

/** Actions an inline error or notice can offer; each is carried out by the host. The one list both bundles use. */
export const ACTION_IDS = [
  'setApiKey',
  'selectModel',
  'retry',
  'openSettings',
  'showLog',
  'testConnection',
  'newChat',
  'manageTrust',
  /** Summarise the older part of the chat (Bud: Condense Chat). */
  'condense',
  /** Open the settings at bud.contextWindow. */
  'contextSettings',
  /** Remove the largest code attachment waiting to be sent. */
  'removeAttachment',
  /** Put back the turn just deleted. */
  'undoDelete',
] as const;

export type ActionId = (typeof ACTION_IDS)[number];

export function isActionId(v: unknown): v is ActionId {
  return typeof v === 'string' && (ACTION_IDS as readonly string[]).includes(v);
}

export type { ErrorKind };

export interface ErrorInfo {
  kind: ErrorKind;
  /** A sentence a user can act on; never contains the API key. */
  message: string;
  status?: number;
  requestId?: string;
  url?: string;
  actions: ActionId[];
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export type ToolCallState = 'running' | 'done' | 'error' | 'cancelled';

/** One workspace-tool call as shown in the chat (a compact, collapsible row). */
export interface ToolCallView {
  id: string;
  name: string;
  /** The raw JSON arguments as the model sent them. */
  argsText: string;
  state: ToolCallState;
  /** One line: "42 lines of src/a.ts", "3 matches", or the error text. */
  summary?: string;
  durationMs?: number;
  /** Where a tool that is not Bud's own comes from ("Extension GitLens", "MCP server github"). */
  source?: string;
}

/** Where a message stands among its siblings (edits of one question, regenerations of one answer). 0-based. */
export interface BranchInfo {
  index: number;
  count: number;
}

/** The answers to "may this tool of another extension run?". */
export const TOOL_APPROVALS = ['once', 'always', 'deny'] as const;
export type ToolApproval = (typeof TOOL_APPROVALS)[number];

export interface MessageView {
  id: string;
  role: 'user' | 'assistant';
  /** User: the text they typed. Assistant: the Markdown answer (so far). */
  content: string;
  status: MessageStatus;
  contexts?: CodeContext[];
  /** Reasoning text from `reasoning_content` / `reasoning`, kept apart from the answer. */
  reasoning?: string;
  toolCalls?: ToolCallView[];
  error?: ErrorInfo;
  usage?: Usage;
  model?: string;
  /** A note shown under the message (e.g. "Stopped after 10 tool rounds"). */
  note?: string;
  /**
   * Why a `complete` answer ended early: `length` — cut off at the token limit (Continue asks for the rest);
   * `content_filter` — stopped by the server's content filter. Absent for a whole answer (and in older files).
   */
  finish?: AnswerFinish;
  createdAt: number;
  /** Set when the message has siblings: the view shows ‹ index+1 / count › to switch between them. */
  branch?: BranchInfo;
}

export type AnswerFinish = 'length' | 'content_filter';

/** The summary that stands for the older part of a chat in what is sent (Condense); saved with the chat. */
export interface SummaryView {
  id: string;
  /** The summary as the model wrote it (Markdown). */
  text: string;
  /** The last stored message it covers: it stands for every message up to and including this one. */
  throughId: string;
  /** How many stored messages it stands for. */
  coveredCount: number;
  createdAt: number;
  /** The model that wrote it. */
  model?: string;
}

/** Where a model's context window came from: a refusal, the setting, the server's model list, or Bud's default. */
export type WindowSource = 'learned' | 'setting' | 'server' | 'default';

/** What the next request will carry, for the context meter and the "not sent" marker. */
export interface ContextInfo {
  /** Tokens the next request will use (the reserve for the answer not included). */
  tokens: number;
  /** The model's window. */
  window: number;
  /** Tokens kept free for the answer, and how that was chosen. */
  reserve: number;
  reserveRule: string;
  source: WindowSource;
  /** A sentence: where the window came from. */
  sourceDetail: string;
  breakdown: { system: number; tools: number; history: number; attachments: number };
  /** Stored messages not sent (oldest first), and the first message that is sent (the marker goes above it). */
  notSent: number;
  firstSentId?: string;
  /** False when even the newest message (the draft) does not fit. */
  fits: boolean;
  /** Calibrated against the server's own counts (answers seen). */
  calibrated: boolean;
}

export interface ChatSummary {
  id: string;
  title: string;
  updatedAt: number;
  messageCount: number;
}

/** One result of a full-text search of the saved chats: a chat title, or a message (of any branch) in a chat. */
export interface SearchHit {
  chatId: string;
  chatTitle: string;
  updatedAt: number;
  /** Absent when the title matched. */
  messageId?: string;
  role?: 'user' | 'assistant';
  /** A line of text around the first match (the title itself for a title hit). */
  snippet: string;
  /** Where the query's words are in `snippet`: [start, end) pairs, in order. */
  ranges: [number, number][];
}

export interface Notice {
  level: 'info' | 'warning' | 'error';
  text: string;
  actions?: ActionId[];
}

export interface ViewStatus {
  model: string;
  hasApiKey: boolean;
  /** Where the key comes from, without the key: shown in the empty state and Test Connection. */
  keySource: 'secretStorage' | 'env' | 'configFile' | 'none' | 'demo';
  baseUrl: string;
  busy: boolean;
  toolsEnabled: boolean;
  /** Set when tools are off because of Restricted Mode (untrusted workspace). */
  toolsDisabledReason?: string;
}

export interface ChatSnapshot {
  id: string;
  title: string;
  messages: MessageView[];
  summary?: SummaryView;
}

// ---------------------------------------------------------------------------------------------
// Webview -> host
// ---------------------------------------------------------------------------------------------

export type WebviewMessage =
  /** The view is ready; `chatId` is the chat this window showed before a reload (the webview's own state). */
  | { type: 'ready'; chatId?: string }
  /** `attachCurrentFile`: the current-file chip was on, so the active editor's file goes with the message. */
  | { type: 'send'; text: string; attachCurrentFile?: boolean }
  | { type: 'stop' }
  /** Re-ask the last user message after a failed / stopped answer. */
  | { type: 'retry' }
  /** Send `text` as a new version of user message `id` (a new branch; the old one is kept). */
  | { type: 'editMessage'; id: string; text: string }
  /** A new answer beside answer `id` (a new branch). */
  | { type: 'regenerate'; id: string }
  /** Show sibling `index` (0-based) of message `id`. */
  | { type: 'switchBranch'; id: string; index: number }
  /** Delete the turn of user message `id` (its answers too); the host offers Undo. */
  | { type: 'deleteTurn'; id: string }
  /** Copy the whole answer `id` as Markdown. */
  | { type: 'copyMessage'; id: string }
  /** Export chat `chatId` (Bud: Export Chat…). */
  | { type: 'exportChat'; chatId: string }
  /** Import a JSON export as a new chat (Bud: Import Chat…). */
  | { type: 'importChat' }
  /** Full-text search of every saved chat; the answer is `searchResults` with the same `seq`. */
  | { type: 'searchChats'; query: string; seq: number }
  /** Open chat `chatId` with message `messageId` on screen (switching to its branch), from a search hit. */
  | { type: 'openSearchHit'; chatId: string; messageId?: string }
  | { type: 'newChat' }
  | { type: 'switchChat'; chatId: string }
  | { type: 'renameChat'; chatId: string; title: string }
  | { type: 'deleteChat'; chatId: string }
  | { type: 'action'; action: ActionId }
  /** A link the user clicked in an answer; the host opens it with VS Code's link handling (http/https only). */
  | { type: 'openLink'; href: string }
  /** Open the file of a code chip at its range. */
  | { type: 'openContext'; uri: string; startLine: number; endLine: number }
  /** Remove a pending (not yet sent) code chip from the input. */
  | { type: 'removePendingContext'; index: number }
  | { type: 'copyCode'; code: string }
  | { type: 'insertCode'; code: string }
  | { type: 'openCodeInEditor'; code: string; language?: string }
  /** The # picker's text after the trigger changed; answered by `mentionResults` with the same `requestId`. */
  | { type: 'mentionQuery'; requestId: number; query: string }
  /** A row of the # picker was chosen: the host reads it and adds it to the pending attachments. */
  | { type: 'attachMention'; id: string }
  /** Files or folders dropped on the view (URIs from the drag's uri-list). */
  | { type: 'attachUris'; uris: string[] }
  /** Continue an answer cut off at the token limit: the rest is appended to the same answer. */
  | { type: 'continueAnswer'; id: string }
  /** Remove the chat's summary (Condense undone): the original messages are sent again. */
  | { type: 'undoCondense' }
  /** The text being typed (debounced), so the context meter counts it. */
  | { type: 'draft'; text: string }
  /** The user's answer to a `toolApproval` question. */
  | { type: 'toolApprovalAnswer'; callId: string; answer: ToolApproval }
  /** A failure inside the webview, for the host's log (the error's message only; never message content or secrets). */
  | { type: 'log'; level: 'info' | 'warn' | 'error'; text: string };

/** The member of `WebviewMessage` with this `type`. */
export type WebviewMessageOf<K extends WebviewMessage['type']> = Extract<WebviewMessage, { type: K }>;

// ---------------------------------------------------------------------------------------------
// Host -> webview
// ---------------------------------------------------------------------------------------------

export type HostMessage =
  /** Sent once after `ready` and whenever the webview is recreated: everything needed to draw the view. */
  | { type: 'init'; status: ViewStatus; chat: ChatSnapshot; chats: ChatSummary[]; pendingContexts: CodeContext[] }
  /** Another chat became current (switch / new / delete); `reveal`: scroll to that message and highlight it. */
  | { type: 'chatLoaded'; chat: ChatSnapshot; reveal?: string }
  /** The answer to `searchChats` `seq` (total: matches counted up to 1,000; chats: how many were searched). */
  | { type: 'searchResults'; seq: number; query: string; hits: SearchHit[]; total: number; chats: number }
  | { type: 'chatList'; chats: ChatSummary[] }
  | { type: 'status'; status: ViewStatus }
  /** A whole new message (user message on send; empty assistant message when an answer starts). */
  | { type: 'messageAdded'; message: MessageView }
  /** Answer text appended to message `id` (batched: at most one of these per 16–50 ms). */
  | { type: 'answerDelta'; id: string; text: string; reasoning?: string }
  /** The answer ended. `content` is absent when the webview already has every byte through deltas. */
  | {
      type: 'answerEnded';
      id: string;
      status: MessageStatus;
      error?: ErrorInfo;
      usage?: Usage;
      note?: string;
      finish?: AnswerFinish;
    }
  /** An ended answer streams again (Continue): deltas append to its text. */
  | { type: 'answerResumed'; id: string }
  /** A retry is scheduled before the first byte arrived ("retrying in 4 s"). */
  | { type: 'retrying'; id: string; attempt: number; maxRetries: number; delayMs: number; reason: string }
  /** A tool call started or changed state, inside assistant message `id`. */
  | { type: 'toolCall'; id: string; call: ToolCallView }
  /** Messages removed from the end (Retry replaces a failed answer). */
  | { type: 'messagesRemoved'; ids: string[] }
  /**
   * The conversation on screen changed below message `afterId` (null: from the start), by an edit, a regeneration,
   * a branch switch, a deleted turn or its undo: the view replaces everything after it with `messages`.
   */
  | { type: 'pathChanged'; afterId: string | null; messages: MessageView[] }
  | { type: 'pendingContexts'; contexts: CodeContext[] }
  | { type: 'notice'; notice: Notice | null }
  | { type: 'focusInput'; text?: string }
  | { type: 'mentionResults'; requestId: number; items: MentionItem[]; note?: string }
  /** The active editor's file (offered as a one-click chip), and whether it is attached by default. */
  | { type: 'editorContext'; currentFile?: { path: string; uri: string }; attachByDefault: boolean }
  /**
   * What the workspace adds: instruction files sent with every request and the slash commands; a note says why
   * they are ignored (Restricted Mode, turned off).
   */
  | {
      type: 'workspaceContext';
      instructions: InstructionsInfo[];
      instructionsNote?: string;
      commands: SlashCommandInfo[];
      commandsNote?: string;
    }
  /** What the next request will carry (null: unknown, e.g. no model selected). */
  | { type: 'context'; info: ContextInfo | null }
  /** The chat's summary was made or undone. */
  | { type: 'summary'; summary: SummaryView | null }
  /** A tool of another extension wants to run (call row `callId` of the streaming answer): ask the user. */
  | { type: 'toolApproval'; callId: string; name: string; source: string }
  /** The question for `callId` was answered (here or by Stop): remove it. */
  | { type: 'toolApprovalDone'; callId: string };

/** The member of `HostMessage` with this `type`. */
export type HostMessageOf<K extends HostMessage['type']> = Extract<HostMessage, { type: K }>;

/**
 * Ends every `switch` over messages: a new member that is not handled fails the type check here, and a value
 * that is not a member at run time (a newer or older peer) fails loudly instead of being dropped unnoticed.
 */
export function assertNever(value: never, what = 'message'): never {
  const type = (value as { type?: unknown } | null)?.type;
  throw new Error(`Unexpected ${what}${typeof type === 'string' ? ` of type "${type}"` : ''}`);
}
