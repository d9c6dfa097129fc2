// The input area: pending attachment chips, the auto-growing textarea (`#input`), the Send/Stop button (`#send`)
// and the attach bar under it; the # picker and / commands open above it.
// Enter sends, Shift+Enter adds a line, Up in an empty input recalls earlier messages, Escape stops an answer.
import * as l10n from '@vscode/l10n';
import type { CodeContext } from '../../protocol';
import { afterPendingTasks } from './afterPending';
import { AttachBar } from './attachBar';
import { pendingChip } from './chips';
import { ComposerMentions } from './composerMentions';
import { clear, formatNumber, h, icon, setIcon } from './dom';

/** Same limit as the API client's validation (src/api/validate.ts LIMITS.maxContentChars). */
export const MAX_MESSAGE_CHARS = 1_000_000;
/** The hidden twin that sizes the textarea only needs the text up to where the height is capped. */
const SIZER_CHARS = 20_000;

export interface ComposerEvents {
  send(text: string): void;
  /** The box was emptied after a send (a task later, see `submit`). */
  sent(): void;
  stop(): void;
  removePending(index: number): void;
  draftChanged(text: string): void;
  /** The # picker's query changed. */
  mentionQuery(requestId: number, query: string): void;
  /** A # picker row was chosen. */
  attachMention(id: string): void;
  announce(text: string): void;
}

export class Composer {
  readonly el: HTMLElement;
  readonly input: HTMLTextAreaElement;
  readonly sendButton: HTMLButtonElement;
  private readonly grow: HTMLElement;
  private readonly pending = h('div', {
    class: 'pending-contexts',
    role: 'list',
    'aria-label': l10n.t('Attached to your next message'),
  });
  readonly mentions: ComposerMentions;
  readonly bar: AttachBar;
  private readonly message = h('div', { class: 'composer-message', role: 'status', 'aria-live': 'polite' });
  private busy = false;
  private pendingCount = 0;
  private sent: string[] = [];
  /** Index into `sent` while recalling with Up/Down; -1 when not recalling. */
  private recallIndex = -1;
  /** Empties the box after a send; run early by the next key, so that key sees the box as it will be. */
  private emptyAfterSend: (() => void) | undefined;

  constructor(private readonly events: ComposerEvents) {
    this.input = h('textarea', {
      id: 'input',
      rows: 1,
      'aria-label': l10n.t('Message Bud'),
      spellcheck: 'true',
      placeholder: l10n.t('Ask Bud… (# attaches, / runs a command)'),
      title: l10n.t(
        'Enter sends, Shift+Enter adds a line, Up recalls your last message, # attaches files, / runs a command',
      ),
    });
    this.mentions = new ComposerMentions(this.input, {
      query: (id, q) => this.events.mentionQuery(id, q),
      attach: (id) => this.events.attachMention(id),
      announce: (text) => this.events.announce(text),
    });
    this.bar = new AttachBar({ startMention: () => this.mentions.start() });
    this.sendButton = h('button', { id: 'send', type: 'button', class: 'send-button' }, icon('send'));
    this.grow = h('div', { class: 'grow-wrap' }, this.input);
    const box = h(
      'div',
      { class: 'input-box' },
      this.pending,
      h('div', { class: 'input-row' }, this.grow, this.sendButton),
      this.bar.el,
    );
    this.el = h('div', { class: 'composer' }, this.mentions.picker.el, box, this.message);
    this.pending.hidden = true;
    this.message.hidden = true;
    this.setBusy(false);
    this.resize();

    this.input.addEventListener('input', () => {
      this.recallIndex = -1;
      this.resize();
      // Say it while typing / pasting, not only on Enter.
      if (this.input.value.length > MAX_MESSAGE_CHARS) this.showTooLong(this.input.value.length);
      else this.clearMessage();
      this.events.draftChanged(this.input.value);
      this.mentions.update();
    });
    this.input.addEventListener('keydown', (e) => {
      this.emptyAfterSend?.();
      this.onKeyDown(e);
    });
    this.input.addEventListener('beforeinput', () => this.emptyAfterSend?.());
    this.sendButton.addEventListener('click', () => (this.busy ? this.events.stop() : this.submit()));
    this.pending.addEventListener('click', (e) => {
      const remove = (e.target as Element).closest<HTMLElement>('[data-remove-index]');
      if (!remove) return;
      this.events.removePending(Number(remove.getAttribute('data-remove-index')));
      this.input.focus();
    });
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (e.isComposing || e.keyCode === 229) return; // an IME is composing: Enter picks a candidate
    if (this.mentions.onKeyDown(e)) return; // the open # or / list takes arrows, Enter, Tab and Escape
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      if (!this.busy) this.submit();
      else this.showMessage('info', l10n.t('Bud is still answering. Press Escape or Stop to stop it first.'));
      return;
    }
    if (e.key === 'Escape' && this.busy) {
      e.preventDefault();
      e.stopPropagation();
      this.events.stop();
      return;
    }
    if (
      e.key === 'ArrowUp' &&
      !e.shiftKey &&
      (this.input.value === '' || this.isRecalled()) &&
      this.caretOnFirstLine()
    ) {
      if (this.recall(this.recallIndex === -1 ? this.sent.length - 1 : this.recallIndex - 1)) e.preventDefault();
      return;
    }
    if (e.key === 'ArrowDown' && !e.shiftKey && this.isRecalled() && this.caretOnLastLine()) {
      e.preventDefault();
      if (this.recallIndex >= this.sent.length - 1) {
        this.recallIndex = -1;
        this.setText('');
      } else this.recall(this.recallIndex + 1);
    }
  }

  private isRecalled(): boolean {
    return this.recallIndex >= 0 && this.input.value === this.sent[this.recallIndex];
  }

  private caretOnFirstLine(): boolean {
    return !this.input.value.slice(0, this.input.selectionStart).includes('\n');
  }

  private caretOnLastLine(): boolean {
    return !this.input.value.slice(this.input.selectionEnd).includes('\n');
  }

  private recall(index: number): boolean {
    if (index < 0 || index >= this.sent.length) return false;
    this.recallIndex = index;
    this.setText(this.sent[index]);
    this.recallIndex = index;
    const end = this.input.value.length;
    this.input.setSelectionRange(end, end);
    return true;
  }

  /** Sends what is typed, unless it is empty or over the size limit. */
  submit(): void {
    const text = this.input.value;
    if (!text.trim() && this.pendingCount === 0 && !this.bar.attachCurrentFile) return;
    if (text.length > MAX_MESSAGE_CHARS) {
      this.showTooLong(text.length);
      return;
    }
    this.remember(text);
    this.events.send(text);
    // The box empties once the message is on its way (see afterPending.ts), or at the next key if that is sooner.
    const empty = () => {
      if (this.emptyAfterSend !== empty) return;
      this.emptyAfterSend = undefined;
      this.clearMessage();
      const now = this.input.value;
      this.setText(now.startsWith(text) ? now.slice(text.length) : now);
      this.events.sent();
    };
    this.emptyAfterSend = empty;
    afterPendingTasks(empty);
  }

  /** Messages the user sent in this chat, oldest first (for Up-recall). */
  setHistory(texts: readonly string[]): void {
    this.sent = texts.filter((t) => t.trim() !== '').slice(-100);
    this.recallIndex = -1;
  }

  remember(text: string): void {
    if (!text.trim()) return;
    if (this.sent[this.sent.length - 1] !== text) this.sent.push(text);
    if (this.sent.length > 100) this.sent.shift();
    this.recallIndex = -1;
  }

  setText(text: string): void {
    this.emptyAfterSend?.(); // text given back by the host replaces the sent one, not the other way round
    this.input.value = text;
    this.recallIndex = -1;
    this.resize();
    this.events.draftChanged(text);
  }

  focus(): void {
    this.input.focus();
  }

  setBusy(busy: boolean): void {
    const wasBusy = this.busy;
    this.busy = busy;
    const label = busy ? l10n.t('Stop') : l10n.t('Send');
    this.sendButton.setAttribute('data-mode', busy ? 'stop' : 'send');
    this.sendButton.setAttribute('aria-label', label);
    this.sendButton.title = busy ? l10n.t('Stop (Escape)') : l10n.t('Send (Enter)');
    setIcon(this.sendButton, busy ? 'debug-stop' : 'send');
    if (wasBusy && !busy) this.clearMessage(); // "still answering" no longer applies
  }

  setPending(contexts: readonly CodeContext[]): void {
    clear(this.pending);
    contexts.forEach((c, i) => this.pending.append(pendingChip(c, i)));
    this.pendingCount = contexts.length;
    this.pending.hidden = contexts.length === 0;
    this.bar.setAttachedUris(contexts.filter((c) => c.kind === 'file').map((c) => c.uri));
  }

  private showTooLong(length: number): void {
    this.showMessage(
      'error',
      l10n.t(
        'This message is {0} characters long; Bud Chat sends at most {1} characters in one message, so it will not be sent. Shorten it or split it into parts.',
        formatNumber(length),
        formatNumber(MAX_MESSAGE_CHARS),
      ),
    );
  }

  showMessage(level: 'info' | 'error', text: string): void {
    this.message.hidden = false;
    this.message.setAttribute('data-level', level);
    this.message.replaceChildren(icon(level === 'error' ? 'error' : 'info'), h('span', {}, text));
  }

  private clearMessage(): void {
    if (this.message.hidden) return;
    this.message.hidden = true;
    clear(this.message);
  }

  /** The textarea grows with its text: a hidden twin (CSS grid) takes the same text and sets the height. */
  private resize(): void {
    // An empty input is as tall as its placeholder (which may wrap in a narrow sidebar).
    const v = this.input.value || this.input.placeholder;
    this.grow.setAttribute('data-value', v.length > SIZER_CHARS ? v.slice(0, SIZER_CHARS) : v);
  }
}
