// What the composer does with "#", "@" and "/": typing # (or @, for users of Continue, Cline and Roo) at the start
// of a word opens the picker of files, folders, #problems, #changes, #terminal, #selection and #file; "/" at the
// start of the message lists the slash commands. The host answers # queries (it has the workspace index); the
// slash commands are filtered here. Picking replaces the typed "#query" with a short reference and attaches the item.
import * as l10n from '@vscode/l10n';
import type { MentionItem, SlashCommandInfo } from '../../protocol';
import { Picker, type PickerRow } from './picker';

export interface MentionEvents {
  query(requestId: number, query: string): void;
  attach(id: string): void;
  /** Something to say to screen readers ("12 results"). */
  announce(text: string): void;
}

const KIND_ICONS: Record<MentionItem['kind'], string> = {
  file: 'file',
  folder: 'folder',
  currentFile: 'file-code',
  selection: 'list-selection',
  problems: 'warning',
  fileProblems: 'warning',
  changes: 'git-compare',
  terminal: 'terminal',
};

export const mentionFooter = (): string =>
  l10n.t('Enter or Tab attaches · Esc closes · hold Shift to drag files in from the Explorer');
export const slashFooter = (): string => l10n.t('Enter or Tab picks · Esc closes');

interface Token {
  mode: 'mention' | 'slash';
  /** Where the trigger character is. */
  start: number;
  query: string;
}

/** The # / @ word or the leading /command that ends at the caret, if any. */
export function tokenAt(text: string, caret: number): Token | undefined {
  const before = text.slice(0, caret);
  const slash = /^\/([A-Za-z0-9_.-]*)$/.exec(before);
  if (slash) return { mode: 'slash', start: 0, query: slash[1] };
  const m = /(^|\s)([#@])([^\s#@]*)$/.exec(before);
  if (!m) return undefined;
  return { mode: 'mention', start: caret - m[2].length - m[3].length, query: m[3] };
}

/** Slash commands whose name starts with (or contains the letters of) the query, starts first. */
export function filterCommands(commands: readonly SlashCommandInfo[], query: string): SlashCommandInfo[] {
  const q = query.toLowerCase();
  const starts = commands.filter((c) => c.name.toLowerCase().startsWith(q));
  const contains = commands.filter((c) => !c.name.toLowerCase().startsWith(q) && c.name.toLowerCase().includes(q));
  return [...starts, ...contains];
}

export class ComposerMentions {
  readonly picker: Picker;
  private token: Token | undefined;
  private requestId = 0;
  private items = new Map<string, MentionItem>();
  private commands: SlashCommandInfo[] = [];
  private commandsNote: string | undefined;
  private searching: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly events: MentionEvents,
  ) {
    this.picker = new Picker(
      input,
      { pick: (row) => this.pick(row), dismiss: () => (this.token = undefined) },
      l10n.t('Attach'),
    );
    input.addEventListener('blur', () => this.close());
    // Back in the box (a click, Tab, or VS Code handing focus back to the view) with "/sh" or "#ma" before the
    // caret: the list that the blur closed comes back.
    input.addEventListener('focus', () => this.update());
    input.addEventListener('click', () => this.update());
  }

  setCommands(commands: SlashCommandInfo[], note?: string): void {
    this.commands = commands;
    this.commandsNote = note;
    if (this.token?.mode === 'slash') this.showCommands(this.token.query);
  }

  /** After the text or the caret changed: opens, narrows or closes the list. */
  update(): void {
    const caret = this.input.selectionStart;
    const t = this.input.selectionEnd === caret ? tokenAt(this.input.value, caret) : undefined;
    if (!t) {
      this.close();
      return;
    }
    const changed = !this.token || this.token.mode !== t.mode || this.token.query !== t.query;
    this.token = t;
    if (!changed && this.picker.isOpen) return;
    if (t.mode === 'slash') this.showCommands(t.query);
    else this.ask(t.query);
  }

  private ask(query: string): void {
    const id = ++this.requestId;
    this.events.query(id, query);
    clearTimeout(this.searching);
    // Say "Searching" only if the answer is slow (the first # of a very large workspace builds the index).
    this.searching = setTimeout(() => {
      if (this.requestId === id && this.token?.mode === 'mention' && !this.picker.isOpen)
        this.picker.show([], {
          status: l10n.t('Searching the workspace…'),
          footer: mentionFooter(),
          label: l10n.t('Attach'),
        });
    }, 300);
  }

  /** The host's rows for query `requestId` (older answers are ignored: typing went on). */
  results(requestId: number, items: MentionItem[], note?: string): void {
    if (requestId !== this.requestId || this.token?.mode !== 'mention') return;
    clearTimeout(this.searching);
    this.items = new Map(items.map((i) => [i.id, i]));
    const rows: PickerRow[] = items.map((i) => ({
      id: i.id,
      icon: KIND_ICONS[i.kind] ?? 'file',
      label: i.label,
      detail: i.detail,
      matches: i.matches,
    }));
    // A note (the files are still being listed) says more than "nothing matches" about an empty list.
    const status = items.length === 0 ? (note ?? l10n.t('Nothing matches "{0}".', this.token.query)) : note;
    this.picker.show(rows, { status, footer: mentionFooter(), label: l10n.t('Attach a file, folder or more') });
    const count =
      items.length === 0
        ? l10n.t('No matches')
        : items.length === 1
          ? l10n.t('1 result')
          : l10n.t('{0} results', items.length);
    this.events.announce(note && items.length === 0 ? note : count);
  }

  private showCommands(query: string): void {
    const found = filterCommands(this.commands, query);
    if (found.length === 0 && !this.commandsNote) {
      this.picker.close();
      return;
    }
    const rows: PickerRow[] = found.map((c) => ({
      id: `slash:${c.name}`,
      icon: c.source === 'built-in' ? 'sparkle' : 'symbol-event',
      label: `/${c.name}`,
      detail: c.source === 'built-in' ? c.description : `${c.description} (${c.source})`,
      matches: c.name.toLowerCase().startsWith(query.toLowerCase()) ? [...Array(query.length + 1).keys()] : [],
    }));
    this.picker.show(rows, { status: this.commandsNote, footer: slashFooter(), label: l10n.t('Slash commands') });
  }

  private pick(row: PickerRow): void {
    const t = this.token;
    if (!t) return;
    const caret = this.input.selectionStart;
    const value = this.input.value;
    let insert: string;
    if (row.id.startsWith('slash:')) insert = `${row.label} `;
    else {
      const item = this.items.get(row.id);
      if (!item) return;
      insert = item.insert;
      this.events.attach(item.id);
    }
    this.input.value = value.slice(0, t.start) + insert + value.slice(caret);
    const at = t.start + insert.length;
    this.input.setSelectionRange(at, at);
    this.close();
    // The composer re-measures and saves the draft on input.
    this.input.dispatchEvent(new Event('input', { bubbles: true }));
    this.events.announce(
      row.id.startsWith('slash:') ? l10n.t('{0} chosen', row.label) : l10n.t('{0} attached', row.label),
    );
  }

  /** The Attach button: a "#" at the caret (after a space when needed), which opens the list. */
  start(): void {
    const { value, selectionStart: s, selectionEnd: e } = this.input;
    const pad = s > 0 && !/\s/.test(value[s - 1]) ? ' ' : '';
    this.input.value = `${value.slice(0, s)}${pad}#${value.slice(e)}`;
    const at = s + pad.length + 1;
    this.input.focus();
    this.input.setSelectionRange(at, at);
    this.input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  onKeyDown(e: KeyboardEvent): boolean {
    return this.picker.onKeyDown(e);
  }

  close(): void {
    clearTimeout(this.searching);
    this.token = undefined;
    this.picker.close();
  }
}
