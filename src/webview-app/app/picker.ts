// The popup list of the composer's # picker and / commands: a listbox under the text box's control. The text box
// keeps the focus and points at the active row with aria-activedescendant (the ARIA combobox pattern, with the
// textarea as its text box), so typing goes on while Arrow keys, Home/End, Enter, Tab and Escape drive the list.
import { clear, h, icon } from './dom';

export interface PickerRow {
  id: string;
  icon: string;
  label: string;
  detail?: string;
  /** Indexes of `label` characters to highlight. */
  matches?: number[];
}

export interface PickerEvents {
  pick(row: PickerRow): void;
  /** The list closed without a pick (Escape). */
  dismiss(): void;
}

export const LIST_ID = 'mention-list';

function highlighted(label: string, matches: readonly number[] = []): HTMLElement {
  const el = h('span', { class: 'picker-label' });
  const set = new Set(matches);
  let run = '';
  let inMatch = false;
  const flush = () => {
    if (!run) return;
    el.append(inMatch ? h('span', { class: 'picker-match' }, run) : document.createTextNode(run));
    run = '';
  };
  for (let i = 0; i < label.length; i++) {
    const m = set.has(i);
    if (m !== inMatch) {
      flush();
      inMatch = m;
    }
    run += label[i];
  }
  flush();
  return el;
}

export class Picker {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly footer: HTMLElement;
  private readonly status = h('div', { class: 'picker-status' });
  private rows: PickerRow[] = [];
  private active = -1;
  private openState = false;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly events: PickerEvents,
    label: string,
  ) {
    this.list = h('ul', { id: LIST_ID, class: 'picker-list', role: 'listbox', 'aria-label': label });
    this.footer = h('div', { class: 'picker-footer' });
    this.el = h('div', { class: 'picker', hidden: true }, this.status, this.list, this.footer);
    // A click picks without taking the focus from the text box.
    this.list.addEventListener('mousedown', (e) => e.preventDefault());
    this.list.addEventListener('click', (e) => {
      const li = (e.target as Element).closest<HTMLElement>('[data-index]');
      if (!li) return;
      const row = this.rows[Number(li.getAttribute('data-index'))];
      if (row) this.events.pick(row);
    });
    input.setAttribute('aria-autocomplete', 'list');
  }

  get isOpen(): boolean {
    return this.openState;
  }

  /** Shows `rows` (keeping the active row when it is still there); `status` is shown above them. */
  show(rows: PickerRow[], opts: { status?: string; footer?: string; label?: string } = {}): void {
    const activeId = this.rows[this.active]?.id;
    this.rows = rows;
    if (opts.label) this.list.setAttribute('aria-label', opts.label);
    clear(this.list);
    rows.forEach((r, i) => {
      this.list.append(
        h(
          'li',
          { id: `${LIST_ID}-${i}`, class: 'picker-row', role: 'option', 'aria-selected': 'false', 'data-index': i },
          icon(r.icon),
          highlighted(r.label, r.matches),
          r.detail ? h('span', { class: 'picker-detail' }, r.detail) : null,
        ),
      );
    });
    this.status.textContent = opts.status ?? '';
    this.status.hidden = !opts.status;
    this.footer.textContent = opts.footer ?? '';
    this.footer.hidden = !opts.footer;
    this.el.hidden = false;
    this.openState = true;
    this.input.setAttribute('aria-controls', LIST_ID);
    const keep = rows.findIndex((r) => r.id === activeId);
    this.setActive(rows.length ? Math.max(0, keep) : -1);
  }

  close(): void {
    if (!this.openState) return;
    this.openState = false;
    this.el.hidden = true;
    this.rows = [];
    this.active = -1;
    clear(this.list);
    this.input.removeAttribute('aria-activedescendant');
    this.input.removeAttribute('aria-controls');
  }

  private setActive(i: number): void {
    const items = this.list.children;
    if (this.active >= 0 && items[this.active]) items[this.active].setAttribute('aria-selected', 'false');
    this.active = i;
    if (i < 0 || !items[i]) {
      this.input.removeAttribute('aria-activedescendant');
      return;
    }
    items[i].setAttribute('aria-selected', 'true');
    this.input.setAttribute('aria-activedescendant', items[i].id);
    items[i].scrollIntoView({ block: 'nearest' });
  }

  /** Handles a key while the list is open; true when it was the list's key. */
  onKeyDown(e: KeyboardEvent): boolean {
    if (!this.openState) return false;
    const n = this.rows.length;
    const go = (i: number) => {
      e.preventDefault();
      if (n) this.setActive(((i % n) + n) % n);
      return true;
    };
    switch (e.key) {
      case 'ArrowDown':
        return go(this.active + 1);
      case 'ArrowUp':
        return go(this.active - 1);
      case 'PageDown':
        return go(Math.min(n - 1, this.active + 8));
      case 'PageUp':
        return go(Math.max(0, this.active - 8));
      case 'Home':
      case 'End':
        if (!e.ctrlKey) return false; // Home/End move the caret in the text; Ctrl+Home/End move in the list
        return go(e.key === 'Home' ? 0 : n - 1);
      case 'Enter':
      case 'Tab': {
        if (e.shiftKey || e.altKey || e.metaKey || e.ctrlKey) return false;
        const row = this.rows[this.active];
        if (!row) return false;
        e.preventDefault();
        this.events.pick(row);
        return true;
      }
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        this.close();
        this.events.dismiss();
        return true;
      default:
        return false;
    }
  }
}
