// The two context markers inside the conversation: above the first message still sent to the model ("12 earlier
// messages are not sent to the model", with Condense and Show), and after the last message a summary stands for
// (with Open, which shows the summary, and Undo). The buttons carry data attributes the app handles.
import * as l10n from '@vscode/l10n';
import type { SummaryView } from '../../protocol';
import { actionButton } from './actions';
import { formatNumber, h, icon } from './dom';
import { renderMarkdown } from './markdown';

export function notSentMarker(count: number): HTMLElement {
  const text =
    count === 1
      ? l10n.t('1 earlier message is not sent to the model')
      : l10n.t('{0} earlier messages are not sent to the model', formatNumber(count));
  return h(
    'div',
    {
      class: 'context-marker not-sent-marker',
      role: 'note',
      'aria-label': l10n.t('{0}: they do not fit its context window.', text),
    },
    h('div', { class: 'marker-line' }, icon('eye-closed'), h('span', { class: 'marker-text' }, text)),
    h(
      'div',
      { class: 'marker-actions' },
      actionButton('condense'),
      h(
        'button',
        { type: 'button', class: 'button secondary', 'data-show-not-sent': '' },
        icon('arrow-up'),
        h('span', {}, l10n.t('Show')),
      ),
    ),
  );
}

export function summaryMarker(summary: SummaryView): HTMLElement {
  const text =
    summary.coveredCount === 1
      ? l10n.t('Summary of 1 earlier message: the model sees it instead of them')
      : l10n.t(
          'Summary of {0} earlier messages: the model sees it instead of them',
          formatNumber(summary.coveredCount),
        );
  const body = h('div', { class: 'summary-body', id: `summary-${summary.id}` });
  body.hidden = true;
  const open = h(
    'button',
    { type: 'button', class: 'button secondary', 'aria-expanded': 'false', 'aria-controls': body.id },
    icon('book'),
    h('span', {}, l10n.t('Open')),
  );
  open.addEventListener('click', () => {
    const show = body.hidden;
    if (show && !body.firstChild) renderMarkdown(body, summary.text);
    body.hidden = !show;
    open.setAttribute('aria-expanded', String(show));
    open.querySelector('span:last-child')!.textContent = show ? l10n.t('Close') : l10n.t('Open');
  });
  return h(
    'div',
    { class: 'context-marker summary-marker', role: 'note' },
    h('div', { class: 'marker-line' }, icon('fold'), h('span', { class: 'marker-text' }, text)),
    h(
      'div',
      { class: 'marker-actions' },
      open,
      h(
        'button',
        { type: 'button', class: 'button secondary', 'data-undo-condense': '' },
        icon('discard'),
        h('span', {}, l10n.t('Undo')),
      ),
    ),
    body,
  );
}
