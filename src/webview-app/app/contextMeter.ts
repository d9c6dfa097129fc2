// The context meter in the header: the tokens the next request will use out of the model's window (the room kept
// for the answer not counted), with a breakdown on hover or focus, a warning look from 80%, and where the window
// came from. Keyboard and screen readers get the same text through the label and the described-by popover.
import type { ContextInfo } from '../../protocol';
import { append, clear, formatNumber, h, icon } from './dom';

/** From this share of what the request may use, the meter warns. */
export const WARN_SHARE = 0.8;

const SOURCE_LABEL: Record<ContextInfo['source'], string> = {
  learned: 'learned',
  setting: 'your setting',
  server: 'server',
  default: 'default',
};

/** "3.1k", "128k", "950". */
export function compact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(Math.round(n / 100) / 10).toFixed(1).replace(/\.0$/, '')}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(Math.round(n / 100_000) / 10).toFixed(1).replace(/\.0$/, '')}M`;
}

export class ContextMeter {
  readonly el: HTMLElement;
  private readonly bar = h('span', { class: 'meter-fill' });
  private readonly label = h('span', { class: 'meter-text', 'aria-hidden': 'true' });
  private readonly popover = h('div', { id: 'context-details', class: 'context-details', role: 'tooltip' });

  constructor() {
    this.el = h(
      'div',
      { id: 'context-meter', class: 'context-meter', tabindex: '0', 'aria-describedby': 'context-details' },
      icon('dashboard'),
      h('span', { class: 'meter-track', 'aria-hidden': 'true' }, this.bar),
      this.label,
      this.popover,
    );
    this.set(null);
  }

  set(info: ContextInfo | null): void {
    this.el.hidden = !info;
    if (!info) return;
    const limit = Math.max(1, info.window - info.reserve);
    const share = info.tokens / limit;
    const level = !info.fits || share > 1 ? 'over' : share >= WARN_SHARE ? 'warn' : 'ok';
    this.el.setAttribute('data-level', level);
    this.bar.style.width = `${Math.min(100, Math.round(share * 100))}%`;
    this.label.textContent = `${compact(info.tokens)} / ${compact(info.window)}`;
    const pct = Math.round((info.tokens / info.window) * 100);
    const summary = info.fits
      ? `The next request uses ${formatNumber(info.tokens)} of ${formatNumber(info.window)} tokens (${pct}%); ${formatNumber(info.reserve)} more are kept for the answer.`
      : `The next message does not fit: it needs ${formatNumber(info.tokens)} tokens and ${formatNumber(limit)} are free (${formatNumber(info.reserve)} of the ${formatNumber(info.window)}-token window are kept for the answer).`;
    this.el.setAttribute('aria-label', `Context: ${summary}`);
    const b = info.breakdown;
    const row = (name: string, n: number) =>
      h('div', { class: 'context-row' }, h('span', {}, name), h('span', { class: 'context-num' }, formatNumber(n)));
    clear(this.popover);
    append(
      this.popover,
      h('div', { class: 'context-head' }, summary),
      row('System & instructions', b.system),
      row('Tools', b.tools),
      row('History', b.history),
      row('Attachments', b.attachments),
      h('div', { class: 'context-foot' }, `Window (${SOURCE_LABEL[info.source]}): ${info.sourceDetail}`),
      h('div', { class: 'context-foot' }, `Kept for the answer: ${info.reserveRule}.`),
      info.notSent
        ? h(
            'div',
            { class: 'context-foot' },
            `${formatNumber(info.notSent)} earlier message${info.notSent === 1 ? ' is' : 's are'} not sent.`,
          )
        : null,
      info.calibrated
        ? null
        : h('div', { class: 'context-foot' }, 'Counted with the o200k tokenizer; calibrated after the first answer.'),
    );
  }
}
