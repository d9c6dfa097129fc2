// One message in the list. Created once, then patched in place (deltas, tool calls, end state): the list never
// re-renders a message that did not change.
import * as l10n from '@vscode/l10n';
import type {
  AnswerFinish,
  BranchInfo,
  ErrorInfo,
  MessageStatus,
  MessageView,
  ToolApproval,
  ToolCallView,
  Usage,
} from '../../protocol';
import { actionBar } from './actions';
import { chipList } from './chips';
import { clear, h, icon } from './dom';
import { createInlineError, RetryStatus } from './inlineError';
import { estimateHeight } from '../lazy';
import {
  createStreamingRenderer,
  renderMarkdown,
  renderMarkdownSliced,
  type SlicedRender,
  type StreamingRenderer,
} from './markdown';
import { createApprovalBar, createToolCallRow, updateToolCallRow } from './toolCalls';
import { actionButtons, branchNav, inlineEditor, type EditorEvents } from './messageTools';

const FINISH_BADGES: Record<AnswerFinish, { text: string; icon: string }> = {
  length: { text: l10n.t('Cut off'), icon: 'warning' },
  content_filter: { text: l10n.t('Filtered'), icon: 'shield' },
};

const BADGES: Partial<Record<MessageStatus, { text: string; icon: string }>> = {
  stopped: { text: l10n.t('Stopped'), icon: 'debug-stop' },
  interrupted: { text: l10n.t('Interrupted'), icon: 'debug-disconnect' },
  error: { text: l10n.t('Failed'), icon: 'error' },
};

export interface MessageOptions {
  /** Defer the Markdown render (restored, off-screen messages): the list calls `renderDeferred()` when it scrolls near. */
  lazy: boolean;
}

export class MessageItem {
  readonly el: HTMLElement;
  readonly id: string;
  readonly role: MessageView['role'];
  status: MessageStatus;
  /** Why a complete answer ended early (cut off at the token limit, content filter). */
  finish: AnswerFinish | undefined;
  usage: Usage | undefined;
  /** The user's text (for Up-recall) or the answer text so far. */
  text: string;
  readonly branch: BranchInfo | undefined;

  private readonly content: HTMLElement;
  private readonly badge = h('span', { class: 'status-badge' });
  private readonly tools = h('div', { class: 'message-tools' });
  private editor: HTMLElement | undefined;
  private readonly toolCalls = h('div', { class: 'tool-calls' });
  private readonly after = h('div', { class: 'message-after' });
  private reasoning: { details: HTMLDetailsElement; body: HTMLElement; text: string } | undefined;
  private renderer: StreamingRenderer | undefined;
  private progress: HTMLElement | undefined;
  private retry: RetryStatus | undefined;
  private deferred = false;
  private sliced: SlicedRender | undefined;

  constructor(msg: MessageView, opts: MessageOptions) {
    this.id = msg.id;
    this.role = msg.role;
    this.status = msg.status;
    this.usage = msg.usage;
    this.text = msg.content;
    this.branch = msg.branch;
    const isUser = msg.role === 'user';
    this.content = h('div', { class: 'content' });
    const header = h(
      'div',
      { class: 'message-header' },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, icon(isUser ? 'account' : 'sparkle')),
      h('span', { class: 'author' }, isUser ? l10n.t('You') : l10n.t('Bud')),
      !isUser && msg.model ? h('span', { class: 'message-model' }, msg.model) : null,
      this.badge,
      this.tools,
    );
    this.el = h(
      'div',
      {
        class: `message ${msg.role}`,
        'data-id': msg.id,
        role: 'article',
        tabindex: '-1',
        'aria-label': isUser ? l10n.t('Your message') : l10n.t('Bud’s answer'),
      },
      header,
    );
    if (isUser) {
      this.content.classList.add('user-text');
      this.content.textContent = msg.content;
      if (msg.contexts?.length) this.el.append(chipList(msg.contexts));
      this.el.append(this.content);
    } else {
      this.el.append(this.toolCalls, this.content, this.after);
      if (msg.reasoning) this.appendReasoning(msg.reasoning);
      for (const call of msg.toolCalls ?? []) this.setToolCall(call);
      if (msg.status === 'streaming') {
        this.startStreaming();
        if (msg.content) this.renderer!.append(msg.content);
      } else if (msg.content) {
        this.renderStatic(msg.content, opts.lazy);
      }
    }
    this.finish = msg.finish;
    this.applyStatus(msg.status, msg.error, msg.note);
  }

  private startStreaming(): void {
    // Not a live region: screen readers would read it token by token (aria-busy is widely ignored). The app
    // announces the whole answer once it ends (spokenText).
    this.content.setAttribute('aria-busy', 'true');
    this.renderer = createStreamingRenderer(this.content);
    this.progress = h(
      'div',
      { class: 'progress' },
      icon('loading', 'codicon-modifier-spin'),
      h('span', {}, l10n.t('Working…')),
    );
    this.after.before(this.progress);
  }

  private renderStatic(text: string, lazy: boolean): void {
    if (!lazy) {
      renderMarkdown(this.content, text);
      return;
    }
    // The raw text stands in (about the right height) until the message comes near the viewport.
    const raw = h('div', { class: 'plain-text pending-render' }, text);
    raw.style.containIntrinsicSize = `auto ${estimateHeight(text.length)}px`;
    this.content.append(raw);
    this.deferred = true;
  }

  get hasDeferredRender(): boolean {
    return this.deferred;
  }

  /** Renders a deferred (lazy) answer now; returns false when there was nothing to do. */
  renderDeferred(): boolean {
    if (!this.deferred) return false;
    this.deferred = false;
    this.sliced = undefined;
    renderMarkdown(this.content, this.text);
    return true;
  }

  /**
   * Renders a deferred answer a slice at a time until `deadline` (performance.now() time); returns true once it
   * is rendered (the plain text is replaced in one go at the end). Call again to continue.
   */
  renderDeferredUntil(deadline: number): boolean {
    if (!this.deferred) return true;
    this.sliced ??= renderMarkdownSliced(this.content, this.text);
    if (!this.sliced.step(deadline)) return false;
    this.sliced = undefined;
    this.deferred = false;
    return true;
  }

  appendDelta(text: string, reasoning?: string): void {
    if (this.status !== 'streaming') return; // a late delta after the answer ended
    if (reasoning) this.appendReasoning(reasoning);
    if (!text) return;
    this.removeProgress();
    this.clearRetry();
    if (!this.renderer) this.startStreaming();
    this.text += text;
    this.renderer!.append(text);
  }

  private appendReasoning(text: string): void {
    if (!this.reasoning) {
      const body = h('div', { class: 'reasoning-body' });
      const details = h(
        'details',
        { class: 'reasoning' },
        h(
          'summary',
          {},
          icon('chevron-right', 'reasoning-chevron'),
          icon('lightbulb'),
          h('span', {}, l10n.t('Reasoning')),
        ),
        body,
      );
      this.reasoning = { details, body, text: '' };
      this.toolCalls.before(details);
    }
    this.reasoning.text += text;
    this.reasoning.body.textContent = this.reasoning.text;
  }

  setToolCall(call: ToolCallView): void {
    this.removeProgress();
    const existing = this.toolCalls.querySelector<HTMLElement>(`[data-call-id="${CSS.escape(call.id)}"]`);
    if (existing) updateToolCallRow(existing, call);
    else this.toolCalls.append(createToolCallRow(call));
  }

  /** Asks before a tool of another extension runs; returns false when the call's row is not in this message. */
  askApproval(call: { callId: string; name: string; source: string }, answer: (a: ToolApproval) => void): boolean {
    const row = this.toolCalls.querySelector<HTMLElement>(`[data-call-id="${CSS.escape(call.callId)}"]`);
    if (!row) return false;
    this.endApproval(call.callId);
    const bar = createApprovalBar(call, answer);
    row.after(bar);
    bar.querySelector<HTMLButtonElement>('button')?.focus({ preventScroll: true });
    return true;
  }

  endApproval(callId: string): void {
    this.toolCalls.querySelector(`[data-approval-for="${CSS.escape(callId)}"]`)?.remove();
  }

  showRetry(attempt: number, maxRetries: number, delayMs: number, reason: string): void {
    if (!this.retry) {
      this.retry = new RetryStatus();
      this.after.prepend(this.retry.el);
    }
    this.retry.start(attempt, maxRetries, delayMs, reason);
  }

  private clearRetry(): void {
    if (!this.retry) return;
    this.retry.dispose();
    this.retry.el.remove();
    this.retry = undefined;
  }

  private removeProgress(): void {
    this.progress?.remove();
    this.progress = undefined;
  }

  /** The answer's text as read out when it ends: at most `max` characters, whitespace collapsed. */
  spokenText(max: number): string {
    const text = (this.content.textContent ?? '').replace(/\s+/g, ' ').trim();
    return text.length > max ? `${text.slice(0, max).replace(/\s\S*$/, '')}…` : text;
  }

  end(status: MessageStatus, error?: ErrorInfo, usage?: Usage, note?: string, finish?: AnswerFinish): void {
    this.renderer?.finish();
    this.renderer = undefined;
    this.removeProgress();
    this.clearRetry();
    this.content.setAttribute('aria-busy', 'false');
    if (usage) this.usage = usage;
    this.finish = finish;
    this.applyStatus(status, error, note);
  }

  /** Continue: the ended answer streams again; its text so far is drawn anew and deltas are appended to it. */
  resume(): void {
    if (this.role !== 'assistant' || this.status === 'streaming') return;
    if (this.deferred) this.renderDeferred();
    this.finish = undefined;
    this.applyStatus('streaming');
    this.startStreaming();
    if (this.text) this.renderer!.append(this.text);
  }

  private applyStatus(status: MessageStatus, error?: ErrorInfo, note?: string): void {
    const toolsChange = this.status === 'streaming' || status === 'streaming' || !this.tools.hasChildNodes();
    this.status = status;
    this.el.setAttribute('data-status', status);
    if (toolsChange) this.renderTools();
    const badge = (this.finish && status === 'complete' ? FINISH_BADGES[this.finish] : undefined) ?? BADGES[status];
    clear(this.badge);
    if (badge && !(status === 'error' && error)) {
      this.badge.append(icon(badge.icon), h('span', {}, badge.text));
      this.badge.hidden = false;
    } else {
      this.badge.hidden = true;
    }
    if (this.role === 'user') return;
    clear(this.after);
    if (this.retry) this.after.append(this.retry.el);
    if (error) this.after.append(createInlineError(error));
    if (note) this.after.append(h('div', { class: 'message-note' }, icon('info'), h('span', {}, note)));
    if (status === 'stopped' && !this.text && !error) {
      this.after.append(
        h(
          'div',
          { class: 'message-note' },
          icon('debug-stop'),
          h('span', {}, l10n.t('Stopped before any text arrived.')),
        ),
      );
    }
    if (status === 'complete' && this.finish === 'length') {
      this.after.append(
        h(
          'div',
          { class: 'message-note cut-off' },
          icon('warning'),
          h('span', {}, l10n.t('Cut off at the token limit.')),
        ),
        h(
          'div',
          { class: 'inline-error-actions' },
          h(
            'button',
            { type: 'button', class: 'button primary', 'data-continue': this.id },
            icon('debug-continue'),
            h('span', {}, l10n.t('Continue')),
          ),
        ),
      );
    }
    if (status === 'complete' && this.finish === 'content_filter') {
      this.after.append(
        h(
          'div',
          { class: 'message-note filtered' },
          icon('shield'),
          h('span', {}, l10n.t("Stopped by the server's content filter.")),
        ),
      );
    }
    // A stopped or interrupted answer can be asked again, like a failed one (only the latest shows it).
    if ((status === 'stopped' || status === 'interrupted') && !error)
      this.after.append(actionBar(['retry'], 'inline-error-actions'));
  }

  private renderTools(): void {
    const streaming = this.status === 'streaming';
    this.tools.replaceChildren(
      ...(this.branch ? [branchNav(this.branch, this.role)] : []),
      ...actionButtons(this.role, streaming),
    );
  }

  /** Opens the inline editor of a question in place of its text. */
  startEdit(events: EditorEvents): void {
    if (this.role !== 'user' || this.editor) return;
    const editor = inlineEditor(this.text, {
      submit: (text) => events.submit(text),
      cancel: () => {
        this.stopEdit();
        events.cancel();
      },
    });
    this.editor = editor.el;
    this.content.hidden = true;
    this.content.after(editor.el);
    this.el.classList.add('editing');
    editor.focus();
  }

  private stopEdit(): void {
    this.editor?.remove();
    this.editor = undefined;
    this.content.hidden = false;
    this.el.classList.remove('editing');
  }

  dispose(): void {
    this.sliced = undefined;
    this.deferred = false;
    this.clearRetry();
    this.renderer?.finish();
    this.renderer = undefined;
  }
}
