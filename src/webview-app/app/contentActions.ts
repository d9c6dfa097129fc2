// Event delegation for what the Markdown renderer and the chips put into the view:
// code-block buttons ([data-code-action]), links (a[href]) and code chips (.context-chip).
import * as l10n from '@vscode/l10n';
import type { Announcer } from './dom';
import { setIcon } from './dom';
import type { Host } from './vscodeApi';

const COPIED_MS = 1500;

export function bindContentActions(root: HTMLElement, host: Host, announcer: Announcer): void {
  root.addEventListener('click', (e) => {
    const target = e.target as Element;

    const codeButton = target.closest<HTMLElement>('[data-code-action]');
    if (codeButton && root.contains(codeButton)) {
      e.preventDefault();
      runCodeAction(codeButton, host, announcer);
      return;
    }

    const link = target.closest<HTMLAnchorElement>('a[href]');
    if (link && root.contains(link)) {
      // Never navigate inside the webview: the host opens it with VS Code's link handling (and its trust prompt).
      // Stop it here too: the webview host's own window-level click handler would otherwise open the link a
      // second time, without the prompt (seen in code-server: a window opened while the prompt still showed).
      e.preventDefault();
      e.stopPropagation();
      const href = link.getAttribute('href') ?? '';
      if (/^(https?:|mailto:)/i.test(href)) host.post({ type: 'openLink', href });
      return;
    }

    const chip = target.closest<HTMLElement>('.context-chip');
    if (chip && root.contains(chip)) {
      e.preventDefault();
      const uri = chip.getAttribute('data-uri');
      const startLine = Number(chip.getAttribute('data-start'));
      const endLine = Number(chip.getAttribute('data-end'));
      if (uri && startLine > 0 && endLine >= startLine) host.post({ type: 'openContext', uri, startLine, endLine });
    }
  });
  // Middle-click and similar would open a link in a new webview window: block those too.
  root.addEventListener('auxclick', (e) => {
    if ((e.target as Element).closest('a[href]')) {
      e.preventDefault();
      e.stopPropagation();
    }
  });
}

function runCodeAction(button: HTMLElement, host: Host, announcer: Announcer): void {
  const block = button.closest<HTMLElement>('.code-block');
  const codeEl = block?.querySelector('pre code') ?? block?.querySelector('pre');
  if (!block || !codeEl) return;
  const code = (codeEl.textContent ?? '').replace(/\n$/, '');
  const language = block.getAttribute('data-lang') || undefined;
  switch (button.getAttribute('data-code-action')) {
    case 'copy':
      host.post({ type: 'copyCode', code });
      showCopied(button);
      announcer.say(l10n.t('Copied code to the clipboard.'));
      break;
    case 'insert':
      host.post({ type: 'insertCode', code });
      announcer.say(l10n.t('Inserted code at the cursor.'));
      break;
    case 'open':
      host.post({ type: 'openCodeInEditor', code, language });
      break;
    default:
      break; // a button without a known action does nothing
  }
}

const copiedTimers = new WeakMap<HTMLElement, ReturnType<typeof setTimeout>>();

/** Shows a check mark and "Copied" on a copy button for a moment. */
export function showCopied(button: HTMLElement): void {
  if (!copiedTimers.has(button)) {
    button.setAttribute('data-label', button.getAttribute('aria-label') ?? l10n.t('Copy code'));
    button.setAttribute('data-title', button.getAttribute('title') ?? l10n.t('Copy code'));
  }
  clearTimeout(copiedTimers.get(button));
  button.classList.add('copied');
  button.setAttribute('aria-label', l10n.t('Copied'));
  button.setAttribute('title', l10n.t('Copied'));
  setIcon(button, 'check');
  copiedTimers.set(
    button,
    setTimeout(() => {
      button.classList.remove('copied');
      button.setAttribute('aria-label', button.getAttribute('data-label') ?? l10n.t('Copy code'));
      button.setAttribute('title', button.getAttribute('data-title') ?? l10n.t('Copy code'));
      setIcon(button, 'copy');
      copiedTimers.delete(button);
    }, COPIED_MS),
  );
}
