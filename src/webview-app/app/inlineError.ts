// An error shown inside the conversation, under the partial answer it interrupted, with the actions that fix it.
// And the "Retrying in 4 s (attempt 1 of 3)…" line shown while the host waits before a retry.
import * as l10n from '@vscode/l10n';
import type { ErrorInfo } from '../../protocol';
import { actionBar } from './actions';
import { h, icon } from './dom';

const TITLES: Partial<Record<ErrorInfo['kind'], string>> = {
  auth: l10n.t('Authentication failed'),
  permission: l10n.t('Permission denied'),
  notFound: l10n.t('Not found'),
  badRequest: l10n.t('Request rejected'),
  rateLimit: l10n.t('Rate limited'),
  server: l10n.t('Server error'),
  connection: l10n.t('Connection failed'),
  timeout: l10n.t('Timed out'),
  incomplete: l10n.t('Incomplete answer'),
  streamError: l10n.t('The server reported an error'),
  validation: l10n.t('Not sent'),
  noApiKey: l10n.t('No API key'),
  noModel: l10n.t('No model selected'),
  aborted: l10n.t('Cancelled'),
};

export function createInlineError(error: ErrorInfo): HTMLDivElement {
  const details: string[] = [];
  if (error.status !== undefined) details.push(l10n.t('HTTP {0}', error.status));
  if (error.requestId) details.push(`request ID ${error.requestId}`);
  if (error.url) details.push(error.url);
  const title = TITLES[error.kind] ?? l10n.t('Something went wrong');
  return h(
    'div',
    { class: 'inline-error', role: 'alert', 'data-kind': error.kind },
    icon('error', 'inline-error-icon'),
    h(
      'div',
      { class: 'inline-error-body' },
      // Skip the heading when the message already starts with it ("Authentication failed (401): …").
      error.message.toLowerCase().startsWith(title.toLowerCase())
        ? null
        : h('div', { class: 'inline-error-title' }, title),
      h('div', { class: 'inline-error-message' }, error.message),
      error.actions.length ? actionBar(error.actions, 'inline-error-actions') : null,
      details.length ? h('div', { class: 'inline-error-details' }, details.join(' · ')) : null,
    ),
  );
}

/** A self-updating countdown line; `dispose()` stops its timer. */
export class RetryStatus {
  // Not a live region itself: a per-second countdown would be read out every second; the app announces it once.
  readonly el = h('div', { class: 'retry-status' });
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly text = h('span', { class: 'retry-text' });
  private readonly reason = h('span', { class: 'retry-reason' });

  constructor() {
    this.el.append(icon('sync', 'codicon-modifier-spin'), this.text, this.reason);
  }

  start(attempt: number, maxRetries: number, delayMs: number, reason: string): void {
    this.dispose();
    const due = Date.now() + delayMs;
    const tick = () => {
      const left = Math.max(0, Math.ceil((due - Date.now()) / 1000));
      const text =
        left > 0
          ? l10n.t('Retrying in {0} s (attempt {1} of {2})…', left, attempt, maxRetries)
          : l10n.t('Retrying now (attempt {0} of {1})…', attempt, maxRetries);
      if (this.text.textContent !== text) this.text.textContent = text;
      if (left === 0) this.stopTimer();
    };
    this.reason.textContent = reason ? ` ${reason}` : '';
    tick();
    this.timer = setInterval(tick, 250);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stopTimer();
  }
}
