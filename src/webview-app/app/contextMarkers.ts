// The two context markers inside the conversation: above the first message still sent to the model ("12 earlier
// messages are not sent to the model", with Condense and Show), and after the last message a summary stands for
// (with Open, which shows the summary, and Undo). The buttons carry data attributes the app handles.
import type { SummaryView } from '../../protocol';
import { actionButton } from './actions';
import { formatNumber, h, icon } from './dom';
import { renderMarkdown } from './markdown';

export function notSentMarker(count: number): HTMLElement {
  const text = `${formatNumber(count)} earlier message${count === 1 ? ' is' : 's are'} not sent to the model`;
  return h(
    'div',
    {
      class: 'context-marker not-sent-marker',
      role: 'note',
      'aria-label': `${text}: they do not fit its context window.`,
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
        h('span', {}, 'Show'),
      ),
    ),
  );
}

export function summaryMarker(summary: SummaryView): HTMLElement {
  const text = `Summary of ${formatNumber(summary.coveredCount)} earlier message${summary.coveredCount === 1 ? '' : 's'}: the model sees it instead of them`;
  const body = h('div', { class: 'summary-body', id: `summary-${summary.id}` });
  body.hidden = true;
  const open = h(
    'button',
    { type: 'button', class: 'button secondary', 'aria-expanded': 'false', 'aria-controls': body.id },
    icon('book'),
    h('span', {}, 'Open'),
  );
  open.addEventListener('click', () => {
    const show = body.hidden;
    if (show && !body.firstChild) renderMarkdown(body, summary.text);
    body.hidden = !show;
    open.setAttribute('aria-expanded', String(show));
    open.querySelector('span:last-child')!.textContent = show ? 'Close' : 'Open';
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
        h('span', {}, 'Undo'),
      ),
    ),
    body,
  );
}
