// What a new chat shows: what Bud Chat does, Set API Key when no key is found, example prompts and a tip.
import * as l10n from '@vscode/l10n';
import type { ViewStatus } from '../../protocol';
import { withNodes } from './l10n';
import { actionButton } from './actions';
import { h, icon } from './dom';

export const EXAMPLE_PROMPTS: readonly { icon: string; text: string }[] = [
  { icon: 'symbol-method', text: l10n.t('Explain how async/await works in TypeScript, with a short example') },
  { icon: 'regex', text: l10n.t('Write a regular expression that matches ISO 8601 dates, and explain each part') },
  {
    icon: 'git-merge',
    text: l10n.t('What is the difference between git merge and git rebase? When should I use each?'),
  },
  { icon: 'beaker', text: l10n.t('Write unit tests with mocha for a function that parses CSV lines') },
];

const KEY_SOURCE_TEXT: Partial<Record<ViewStatus['keySource'], string>> = {
  secretStorage: l10n.t('Using the API key saved in VS Code’s secret storage.'),
  env: l10n.t('Using the API key from the BUD_API_KEY environment variable.'),
  configFile: l10n.t('Using the API key from ~/.bud/config.toml.'),
  demo: l10n.t('Demo mode: answers come from the built-in local demo server, no account needed.'),
};

export class EmptyState {
  readonly el: HTMLElement;
  private readonly setup = h('div', { class: 'empty-setup' });
  private readonly keyInfo = h('p', { class: 'empty-key-info' });

  constructor(private readonly onPrompt: (text: string) => void) {
    const prompts = h('ul', { class: 'example-prompts', 'aria-label': l10n.t('Example prompts') });
    for (const p of EXAMPLE_PROMPTS) {
      const button = h(
        'button',
        { type: 'button', class: 'example-prompt', 'data-prompt': p.text },
        icon(p.icon),
        h('span', {}, p.text),
      );
      button.addEventListener('click', () => this.onPrompt(p.text));
      prompts.append(h('li', {}, button));
    }
    this.el = h(
      'section',
      { id: 'empty-state', 'aria-labelledby': 'empty-title' },
      h('div', { class: 'empty-logo', 'aria-hidden': 'true' }, icon('sparkle')),
      h('h2', { id: 'empty-title' }, l10n.t('Ask Bud')),
      h(
        'p',
        { class: 'empty-lead' },
        l10n.t(
          'Bud Chat answers questions about your code, explains selections and drafts code, streamed from models on the Bud AI Foundry gateway (or any OpenAI-compatible server).',
        ),
      ),
      this.setup,
      h('h3', {}, l10n.t('Try asking')),
      prompts,
      h(
        'p',
        { class: 'empty-tip' },
        icon('lightbulb'),
        h(
          'span',
          {},
          ...withNodes(
            l10n.t(
              'Tip: select code in the editor, right-click and choose {0} — or {1} to ask your own question about it.',
              '{0}',
              '{1}',
            ),
            h('strong', {}, l10n.t('Explain Selection')),
            h('strong', {}, l10n.t('Add Selection to Chat')),
          ),
        ),
      ),
      this.keyInfo,
    );
  }

  setStatus(status: ViewStatus): void {
    const hasKey = status.hasApiKey || status.keySource === 'demo';
    this.el.setAttribute('data-has-key', String(hasKey));
    if (hasKey) {
      this.setup.replaceChildren();
      this.setup.hidden = true;
    } else {
      this.setup.replaceChildren(
        h(
          'p',
          {},
          icon('key'),
          h(
            'span',
            {},
            l10n.t('No API key found. Set your Bud API key to start chatting; it is kept in VS Code’s secret storage.'),
          ),
        ),
        actionButton('setApiKey', true),
      );
      this.setup.hidden = false;
    }
    const info = hasKey ? KEY_SOURCE_TEXT[status.keySource] : undefined;
    this.keyInfo.textContent = info ?? '';
    this.keyInfo.hidden = !info;
  }
}
