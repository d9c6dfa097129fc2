// The view's top bar: the model in use (click to change), the context meter, the last answer's token usage,
// history and New Chat.
import type { ContextInfo, Usage } from '../../protocol';
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
    this.historyButton = iconButton('history', 'Chat history', {
      id: 'history-button',
      'aria-expanded': 'false',
      'aria-controls': 'history-panel',
    });
    this.historyButton.addEventListener('click', () => events.toggleHistory());
    const newChat = iconButton('add', 'New chat', { id: 'new-chat' });
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
    this.modelName.textContent = model || 'Select a model';
    const label = model ? `Model: ${model}. Select another model` : 'No model selected. Select a model';
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
    const full = `Last answer: ${p} prompt + ${c} completion = ${t} tokens`;
    this.usage.title = full;
    this.usage.replaceChildren(
      h('span', { class: 'sr-only' }, `Last answer used ${p} prompt tokens and ${c} completion tokens, ${t} in total.`),
      icon('pulse'),
      h('span', { class: 'usage-detail', 'aria-hidden': 'true' }, `${p} in · ${c} out · `),
      h('span', { class: 'usage-total', 'aria-hidden': 'true' }, `${t} tokens`),
    );
  }

  setContext(info: ContextInfo | null): void {
    this.meter.set(info);
  }

  setHistoryOpen(open: boolean): void {
    this.historyButton.setAttribute('aria-expanded', String(open));
    this.historyButton.classList.toggle('active', open);
  }
}
