// The row under the message box: the Attach button (opens the # picker), the current file as a one-click chip
// (on by default with bud.attachments.currentFile), the workspace's instruction files (chips that open them, or why
// they are ignored), and the reminder that VS Code lets files be dropped on a webview only while Shift is held.
import * as l10n from '@vscode/l10n';
import type { InstructionsInfo } from '../../protocol';
import { baseName, tokenBadge } from './chips';
import { clear, formatNumber, h, icon } from './dom';

export const dropHint = (): string => l10n.t('Hold Shift while dragging files here from the Explorer to attach them');

export interface AttachBarEvents {
  startMention(): void;
}

export class AttachBar {
  readonly el: HTMLElement;
  readonly attachButton: HTMLButtonElement;
  readonly currentButton: HTMLButtonElement;
  private readonly instructions = h('span', { class: 'instruction-chips' });
  private current: { path: string; uri: string } | undefined;
  private byDefault = false;
  private on = false;
  private alreadyAttached = new Set<string>();

  constructor(events: AttachBarEvents) {
    this.attachButton = h(
      'button',
      {
        type: 'button',
        class: 'attach-button',
        title: l10n.t(
          'Attach files, folders, #problems, #changes or #terminal (type # in the message). {0}.',
          dropHint(),
        ),
        'aria-label': l10n.t('Attach context (type # in the message)'),
      },
      icon('attach'),
    );
    this.currentButton = h('button', {
      type: 'button',
      class: 'context-chip current-file-chip',
      hidden: true,
      'aria-pressed': 'false',
    });
    this.el = h(
      'div',
      { class: 'attach-bar' },
      this.attachButton,
      this.currentButton,
      this.instructions,
      h('span', { class: 'drop-hint', title: dropHint() }, icon('info'), l10n.t('Shift+drag to drop files')),
    );
    this.attachButton.addEventListener('click', () => events.startMention());
    this.currentButton.addEventListener('click', () => {
      this.on = !this.on;
      this.render();
    });
  }

  /** Whether the current file goes with the next message. */
  get attachCurrentFile(): boolean {
    return !!this.current && this.on && !this.alreadyAttached.has(this.current.uri);
  }

  setCurrentFile(file: { path: string; uri: string } | undefined, attachByDefault: boolean): void {
    const changed = file?.uri !== this.current?.uri || attachByDefault !== this.byDefault;
    this.current = file;
    this.byDefault = attachByDefault;
    if (changed) this.on = attachByDefault;
    this.render();
  }

  /** The files already attached (the chip hides for them). */
  setAttachedUris(uris: string[]): void {
    this.alreadyAttached = new Set(uris);
    this.render();
  }

  /** After a message went: the chip goes back to the setting's default. */
  reset(): void {
    this.on = this.byDefault;
    this.render();
  }

  private render(): void {
    const f = this.current;
    const b = this.currentButton;
    b.hidden = !f || this.alreadyAttached.has(f.uri);
    if (!f) return;
    const name = baseName(f.path);
    b.setAttribute('aria-pressed', String(this.on));
    b.setAttribute('data-on', String(this.on));
    const label = this.on
      ? l10n.t('{0} (the current file) goes with your message; click to leave it out', f.path)
      : l10n.t('Attach {0} (the current file) to your message', f.path);
    b.title = label;
    b.replaceChildren(
      icon(this.on ? 'file' : 'add'),
      h('span', { class: 'chip-label' }, name),
      h('span', { class: 'current-file-tag' }, l10n.t('current file')),
    );
  }

  setInstructions(list: InstructionsInfo[], note?: string): void {
    clear(this.instructions);
    for (const i of list) {
      const text = i.problem
        ? l10n.t('{0} is not sent: {1}', i.path, i.problem)
        : l10n.t(
            'Workspace instructions from {0} ({1} tokens) go with every request. Open it',
            i.path,
            formatNumber(i.tokens),
          );
      this.instructions.append(
        h(
          'button',
          {
            type: 'button',
            class: 'context-chip instruction-chip',
            'data-kind': 'instructions',
            'data-uri': i.uri,
            'data-start': 1,
            'data-end': 1,
            'data-problem': i.problem ? 'true' : undefined,
            title: text,
          },
          icon(i.problem ? 'warning' : 'book'),
          h('span', { class: 'chip-label' }, baseName(i.path)),
          i.problem ? h('span', { class: 'sr-only' }, ' ' + l10n.t('(not sent)')) : tokenBadge(i.tokens),
        ),
      );
    }
    if (note) {
      this.instructions.append(
        h(
          'span',
          { class: 'instructions-note', title: note },
          icon('shield'),
          h('span', {}, l10n.t('Instructions ignored')),
          h('span', { class: 'sr-only' }, note),
        ),
      );
    }
  }
}
