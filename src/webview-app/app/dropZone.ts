// Files and folders dropped on the chat. VS Code hands a drag to a webview only while Shift is held (otherwise the
// workbench keeps it), and then the drag carries `application/vnd.code.uri-list` (every dragged item, one URI a line),
// `resourceurls` (a JSON list) and `text/uri-list` (the first item only). Files dragged from outside VS Code carry
// no path a webview can read, so they are refused with a word.
import * as l10n from '@vscode/l10n';
import { h, icon } from './dom';

const URI_TYPES = ['application/vnd.code.uri-list', 'resourceurls', 'text/uri-list'];

/** The dropped URIs, best source first. */
export function urisOf(dt: DataTransfer): string[] {
  const codeList = dt.getData('application/vnd.code.uri-list');
  if (codeList.trim()) return splitUriList(codeList);
  const resources = dt.getData('resourceurls');
  if (resources.trim()) {
    try {
      const parsed = JSON.parse(resources) as unknown;
      if (Array.isArray(parsed)) return parsed.filter((u): u is string => typeof u === 'string');
    } catch {
      /* fall through to the plain list */
    }
  }
  return splitUriList(dt.getData('text/uri-list'));
}

export function splitUriList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

function carriesItems(dt: DataTransfer | null): boolean {
  if (!dt) return false;
  const types = [...dt.types].map((t) => t.toLowerCase());
  return types.includes('files') || URI_TYPES.some((t) => types.includes(t));
}

export interface DropEvents {
  drop(uris: string[]): void;
  refuse(text: string): void;
}

export function bindDropZone(root: HTMLElement, events: DropEvents): HTMLElement {
  const overlay = h(
    'div',
    { class: 'drop-overlay', hidden: true, 'aria-hidden': 'true' },
    h('div', { class: 'drop-overlay-box' }, icon('attach'), h('span', {}, l10n.t('Drop to attach to your message'))),
  );
  root.append(overlay);
  let depth = 0;
  const hide = () => {
    depth = 0;
    overlay.hidden = true;
  };
  root.addEventListener('dragenter', (e) => {
    if (!carriesItems(e.dataTransfer)) return;
    e.preventDefault();
    depth++;
    overlay.hidden = false;
  });
  root.addEventListener('dragover', (e) => {
    if (!carriesItems(e.dataTransfer)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  });
  root.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  root.addEventListener('drop', (e) => {
    if (!carriesItems(e.dataTransfer)) return;
    e.preventDefault();
    hide();
    const uris = urisOf(e.dataTransfer!);
    if (uris.length) events.drop(uris);
    else
      events.refuse(
        l10n.t(
          'Those files came from outside VS Code, so Bud cannot read them. Drag them from the Explorer (holding Shift), or type # to attach a workspace file.',
        ),
      );
  });
  return overlay;
}
