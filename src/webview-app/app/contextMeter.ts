// The context meter in the header: the tokens the next request will use out of the model's window (the room kept
// for the answer not counted), with a breakdown on hover or focus, a warning look from 80%, and where the window
// came from. Keyboard and screen readers get the same text through the label and the described-by popover.
import * as l10n from '@vscode/l10n';
import type { ContextInfo, InstructionsInfo } from '../../protocol';
import { append, clear, formatNumber, h, icon } from './dom';

/** From this share of what the request may use, the meter warns. */
export const WARN_SHARE = 0.8;

const SOURCE_LABEL: Record<ContextInfo['source'], string> = {
  learned: l10n.t('learned'),
  setting: l10n.t('your setting'),
  server: l10n.t('server'),
  default: l10n.t('default'),
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
      // A meter (ARIA 1.2): its label and value are allowed there, and a screen reader says what it measures.
      {
        id: 'context-meter',
        class: 'context-meter',
        role: 'meter',
        tabindex: '0',
        'aria-valuemin': '0',
        'aria-describedby': 'context-details',
      },
      icon('dashboard'),
      h('span', { class: 'meter-track', 'aria-hidden': 'true' }, this.bar),
      this.label,
      this.popover,
    );
    this.set(null);
  }

  private info: ContextInfo | null = null;
  /** The workspace's instruction files that go with every request: listed under the system row. */
  private instructions: readonly InstructionsInfo[] = [];

  setInstructions(files: readonly InstructionsInfo[]): void {
    this.instructions = files.filter((f) => !f.problem);
    this.set(this.info);
  }

  set(info: ContextInfo | null): void {
    this.info = info;
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
      ? l10n.t(
          'The next request uses {0} of {1} tokens ({2}%); {3} more are kept for the answer.',
          formatNumber(info.tokens),
          formatNumber(info.window),
          pct,
          formatNumber(info.reserve),
        )
      : l10n.t(
          'The next message does not fit: it needs {0} tokens and {1} are free ({2} of the {3}-token window are kept for the answer).',
          formatNumber(info.tokens),
          formatNumber(limit),
          formatNumber(info.reserve),
          formatNumber(info.window),
        );
    this.el.setAttribute('aria-label', l10n.t('Context: {0}', summary));
    this.el.setAttribute('aria-valuemax', String(info.window));
    this.el.setAttribute('aria-valuenow', String(Math.min(info.tokens, info.window)));
    this.el.setAttribute('aria-valuetext', summary);
    const b = info.breakdown;
    const row = (name: string, n: number) =>
      h('div', { class: 'context-row' }, h('span', {}, name), h('span', { class: 'context-num' }, formatNumber(n)));
    clear(this.popover);
    append(
      this.popover,
      h('div', { class: 'context-head' }, summary),
      row(l10n.t('System & instructions'), b.system),
      ...this.instructions.map((f) =>
        h(
          'div',
          { class: 'context-row context-sub' },
          h('span', {}, l10n.t('of which {0}', f.path)),
          h('span', { class: 'context-num' }, formatNumber(f.tokens)),
        ),
      ),
      row(l10n.t('Tools'), b.tools),
      row(l10n.t('History'), b.history),
      row(l10n.t('Attachments'), b.attachments),
      h('div', { class: 'context-foot' }, l10n.t('Window ({0}): {1}', SOURCE_LABEL[info.source], info.sourceDetail)),
      h('div', { class: 'context-foot' }, l10n.t('Kept for the answer: {0}.', info.reserveRule)),
      info.notSent
        ? h(
            'div',
            { class: 'context-foot' },
            info.notSent === 1
              ? l10n.t('1 earlier message is not sent.')
              : l10n.t('{0} earlier messages are not sent.', formatNumber(info.notSent)),
          )
        : null,
      info.calibrated
        ? null
        : h(
            'div',
            { class: 'context-foot' },
            l10n.t('Counted with the o200k tokenizer; calibrated after the first answer.'),
          ),
    );
  }
}
