// The view's top bar: the model in use (click to change), the context meter, the last answer's token usage,
// history and New Chat.
import * as l10n from '@vscode/l10n';
import type { ContextInfo, InstructionsInfo, Usage } from '../../protocol';
import { ContextMeter } from './contextMeter';
import { formatNumber, h, icon, iconButton } from './dom';

export interface HeaderEvents {
  selectModel(): void;
  newChat(): void;
  toggleHistory(): void;
}

export class Header {
  readonly el: HTMLElement;
  readonly historyButton: HTMLButtonElement;
  private readonly modelButton: HTMLButtonElement;
  private readonly modelName = h('span', { class: 'model-name' });
  private readonly usage = h('div', { id: 'usage' });
  private readonly meter = new ContextMeter();

  constructor(events: HeaderEvents) {
    this.modelButton = h(
      'button',
      { id: 'model-button', type: 'button', class: 'model-button' },
      icon('hubot'),
      this.modelName,
      icon('chevron-down', 'model-chevron'),
    );
    this.modelButton.addEventListener('click', () => events.selectModel());
    this.historyButton = iconButton('history', l10n.t('Chat history'), {
      id: 'history-button',
      'aria-expanded': 'false',
      'aria-controls': 'history-panel',
    });
    this.historyButton.addEventListener('click', () => events.toggleHistory());
    const newChat = iconButton('add', l10n.t('New chat'), { id: 'new-chat' });
    newChat.addEventListener('click', () => events.newChat());
    this.el = h(
      'header',
      { class: 'view-header' },
      this.modelButton,
      this.meter.el,
      this.usage,
      h('div', { class: 'header-actions' }, this.historyButton, newChat),
    );
    this.setModel('');
    this.setUsage(undefined);
  }

  setModel(model: string): void {
    this.modelName.textContent = model || l10n.t('Select a model');
    const label = model
      ? l10n.t('Model: {0}. Select another model', model)
      : l10n.t('No model selected. Select a model');
    this.modelButton.setAttribute('aria-label', label);
    this.modelButton.title = label;
    this.modelButton.classList.toggle('missing', !model);
  }

  setUsage(usage: Usage | undefined): void {
    this.usage.hidden = !usage;
    if (!usage) {
      this.usage.replaceChildren();
      return;
    }
    const p = formatNumber(usage.prompt_tokens),
      c = formatNumber(usage.completion_tokens),
      t = formatNumber(usage.total_tokens);
    const full = l10n.t('Last answer: {0} prompt + {1} completion = {2} tokens', p, c, t);
    this.usage.title = full;
    this.usage.replaceChildren(
      h(
        'span',
        { class: 'sr-only' },
        l10n.t('Last answer used {0} prompt tokens and {1} completion tokens, {2} in total.', p, c, t),
      ),
      icon('pulse'),
      h('span', { class: 'usage-detail', 'aria-hidden': 'true' }, `${p} in · ${c} out · `),
      h('span', { class: 'usage-total', 'aria-hidden': 'true' }, `${t} tokens`),
    );
  }

  setContext(info: ContextInfo | null): void {
    this.meter.set(info);
  }

  /** The workspace's instruction files, shown in the meter's breakdown. */
  setInstructions(files: readonly InstructionsInfo[]): void {
    this.meter.setInstructions(files);
  }

  setHistoryOpen(open: boolean): void {
    this.historyButton.setAttribute('aria-expanded', String(open));
    this.historyButton.classList.toggle('active', open);
  }
}
