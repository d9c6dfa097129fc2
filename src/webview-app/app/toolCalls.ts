// Compact, collapsible rows for the workspace tools the model called: icon, name, short args, summary, duration.
import * as l10n from '@vscode/l10n';
import type { ToolApproval, ToolCallView } from '../../protocol';
import { clear, formatDuration, h, icon } from './dom';

const STATE_ICON: Record<ToolCallView['state'], [string, string]> = {
  running: ['loading', 'codicon-modifier-spin'],
  done: ['check', ''],
  error: ['error', ''],
  cancelled: ['circle-slash', ''],
};

const STATE_TEXT: Record<ToolCallView['state'], string> = {
  running: 'running',
  done: l10n.t('done'),
  error: l10n.t('failed'),
  cancelled: l10n.t('cancelled'),
};

/** The most telling argument in one short line: a path, a pattern or a query; else compact JSON. */
export function shortArgs(argsText: string, max = 60): string {
  let text: string;
  try {
    const parsed: unknown = JSON.parse(argsText || '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const obj = parsed as Record<string, unknown>;
      const preferred = ['path', 'file', 'pattern', 'query', 'glob', 'uri', 'name'];
      const key =
        preferred.find((k) => typeof obj[k] === 'string') ?? Object.keys(obj).find((k) => typeof obj[k] === 'string');
      text = key ? String(obj[key]) : Object.keys(obj).length ? JSON.stringify(obj) : '';
    } else {
      text = JSON.stringify(parsed);
    }
  } catch {
    text = argsText;
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

function prettyArgs(argsText: string): string {
  try {
    return JSON.stringify(JSON.parse(argsText), null, 2);
  } catch {
    return argsText;
  }
}

export function createToolCallRow(call: ToolCallView): HTMLDetailsElement {
  const row = h('details', { class: 'tool-call', 'data-call-id': call.id });
  updateToolCallRow(row, call);
  return row;
}

export function updateToolCallRow(row: HTMLElement, call: ToolCallView): void {
  row.setAttribute('data-state', call.state);
  const args = shortArgs(call.argsText);
  const [glyph, modifier] = STATE_ICON[call.state] ?? STATE_ICON.done;
  // Named by its visible text, so what a screen reader says matches the screen.
  const summary = h(
    'summary',
    {},
    h('span', { class: 'sr-only' }, l10n.t('Tool') + ' '),
    icon('chevron-right', 'tool-chevron'),
    icon(glyph, `tool-state ${modifier}`.trim()),
    h('span', { class: 'tool-name' }, call.name),
    call.source
      ? h('span', { class: 'tool-source', title: l10n.t("Not one of Bud's tools: from {0}", call.source) }, call.source)
      : null,
    args ? h('span', { class: 'tool-args' }, args) : null,
    h(
      'span',
      { class: 'tool-summary' },
      call.summary ?? (call.state === 'running' ? l10n.t('Running…') : STATE_TEXT[call.state]),
    ),
    call.durationMs !== undefined ? h('span', { class: 'tool-duration' }, formatDuration(call.durationMs)) : null,
  );
  const body = h(
    'div',
    { class: 'tool-call-body' },
    call.source ? h('div', { class: 'tool-call-label' }, l10n.t('From')) : null,
    call.source
      ? h(
          'div',
          { class: 'tool-call-result' },
          l10n.t("{0} (not one of Bud's tools; its output is untrusted)", call.source),
        )
      : null,
    h('div', { class: 'tool-call-label' }, l10n.t('Arguments')),
    h('pre', { class: 'tool-call-args' }, prettyArgs(call.argsText || '{}')),
    call.summary
      ? h('div', { class: 'tool-call-label' }, call.state === 'error' ? l10n.t('Error') : l10n.t('Result'))
      : null,
    call.summary ? h('div', { class: 'tool-call-result' }, call.summary) : null,
  );
  const wasOpen = (row as HTMLDetailsElement).open;
  clear(row);
  row.append(summary, body);
  (row as HTMLDetailsElement).open = wasOpen;
}

const APPROVAL_BUTTONS: [ToolApproval, string, string][] = [
  ['once', l10n.t('Allow once'), 'check'],
  ['always', l10n.t('Always allow this tool'), 'check-all'],
  ['deny', l10n.t('Deny'), 'close'],
];

/**
 * The question under a call row before a tool of another extension runs: Allow once / Always allow this tool /
 * Deny. `answer` is called once; the buttons are then disabled until the host removes the bar.
 */
export function createApprovalBar(
  call: { callId: string; name: string; source: string },
  answer: (a: ToolApproval) => void,
): HTMLElement {
  const question = l10n.t(
    "Run {0} from {1}? It is not one of Bud's read-only tools, so Bud asks first.",
    call.name,
    call.source,
  );
  const buttons = APPROVAL_BUTTONS.map(([value, label, glyph]) =>
    h(
      'button',
      { type: 'button', class: value === 'once' ? 'approval-primary' : 'approval-secondary', 'data-approval': value },
      icon(glyph),
      label,
    ),
  );
  const bar = h(
    'div',
    { class: 'tool-approval', role: 'group', 'aria-label': question, 'data-approval-for': call.callId },
    h('div', { class: 'tool-approval-question' }, icon('shield'), h('span', {}, question)),
    h('div', { class: 'tool-approval-buttons' }, ...buttons),
  );
  bar.addEventListener('click', (e) => {
    const b = (e.target as Element).closest<HTMLButtonElement>('button[data-approval]');
    const value = b?.getAttribute('data-approval') as ToolApproval | null;
    if (!b || !value || b.disabled) return;
    for (const x of buttons) x.disabled = true;
    answer(value);
  });
  return bar;
}
