// Generates the README's settings table and commands/keybindings table from package.json `contributes` (in English:
// the `%key%` strings come from package.nls.json), so the README cannot drift from what the extension declares.
//
//   node scripts/settings-table.mjs            print both tables
//   node scripts/settings-table.mjs --write    replace the tables between the markers in README.md
//   node scripts/settings-table.mjs --check    exit 1 when README.md's tables are out of date
//
// Markers in README.md: <!-- settings-table:start --> … <!-- settings-table:end -->
//                       <!-- commands-table:start --> … <!-- commands-table:end -->
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The English text of package.json: each `%key%` replaced from package.nls.json, as VS Code shows it. */
const nls = JSON.parse(readFileSync(join(repo, 'package.nls.json'), 'utf8'));
const english = (v) => {
  if (typeof v === 'string') {
    const m = /^%([^%]+)%$/.exec(v);
    if (!m) return v;
    if (!(m[1] in nls)) throw new Error(`package.json uses %${m[1]}% but package.nls.json has no such key`);
    return nls[m[1]];
  }
  if (Array.isArray(v)) return v.map(english);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, english(x)]));
  return v;
};
const pkg = english(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')));
const contributes = pkg.contributes ?? {};

const cell = (s) =>
  String(s)
    .replace(/\|/g, '\\|')
    .replace(/\r?\n+/g, ' ')
    .trim();
const code = (v) => `\`${cell(typeof v === 'string' ? v : JSON.stringify(v))}\``;

function typeOf(p) {
  if (p.enum) return p.enum.map((e) => code(e)).join(' / ');
  const t = Array.isArray(p.type) ? p.type.join(' \\| ') : (p.type ?? 'any');
  if (t === 'array' && p.items?.type) return `${p.items.type}[]`;
  return t;
}

function range(p) {
  const parts = [];
  if (p.minimum !== undefined && p.maximum !== undefined) parts.push(`${p.minimum}–${p.maximum}`);
  else if (p.minimum !== undefined) parts.push(`≥ ${p.minimum}`);
  else if (p.maximum !== undefined) parts.push(`≤ ${p.maximum}`);
  if (p.maxLength !== undefined) parts.push(`≤ ${p.maxLength} chars`);
  if (p.maxItems !== undefined) parts.push(`≤ ${p.maxItems} items`);
  return parts.join(', ');
}

export function settingsTable() {
  const sections = Array.isArray(contributes.configuration)
    ? contributes.configuration
    : contributes.configuration
      ? [contributes.configuration]
      : [];
  const rows = [];
  for (const section of sections) {
    for (const [key, p] of Object.entries(section.properties ?? {})) {
      // `#bud.x#` is VS Code's link-to-setting syntax; in the README it is just the name.
      const description = (p.markdownDescription ?? p.description ?? '').replace(/`?#([\w.]+)#`?/g, '`$1`');
      const type = [typeOf(p), range(p)].filter(Boolean).join(', ');
      const def = p.default === undefined ? '' : p.default === '' ? '`""`' : code(p.default);
      const scope = p.scope ?? 'window';
      rows.push(
        `| \`${key}\` | ${type} | ${def} | ${scope}${p.deprecationMessage || p.markdownDeprecationMessage ? ' (deprecated)' : ''} | ${cell(description)} |`,
      );
    }
  }
  if (!rows.length) return '_No settings are contributed yet._';
  return ['| Setting | Type / range | Default | Scope | Description |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** `ctrl+shift+alt+b` -> `Ctrl+Shift+Alt+B`. */
function prettyKey(key) {
  return key
    .split(' ')
    .map((chord) =>
      chord
        .split('+')
        .map(
          (k) =>
            ({ ctrl: 'Ctrl', shift: 'Shift', alt: 'Alt', cmd: 'Cmd', meta: 'Meta', win: 'Win' })[k] ??
            (k.length === 1 ? k.toUpperCase() : k[0].toUpperCase() + k.slice(1)),
        )
        .join('+'),
    )
    .join(' ');
}

function keyFor(command) {
  return (contributes.keybindings ?? [])
    .filter((k) => k.command === command)
    .map((k) => {
      let keys = k.key ? `<kbd>${prettyKey(k.key)}</kbd>` : '';
      if (k.mac && k.mac !== k.key) keys += ` (macOS <kbd>${prettyKey(k.mac)}</kbd>)`;
      if (k.when)
        keys += /editorHasSelection/.test(k.when) ? ' in an editor with a selection' : ` when ${code(k.when)}`;
      return keys;
    })
    .join('; ');
}

function menusFor(command) {
  const where = [];
  for (const [menu, items] of Object.entries(contributes.menus ?? {})) {
    for (const item of items) {
      if (item.command !== command) continue;
      if (menu === 'commandPalette') continue;
      const name =
        {
          'editor/context': 'editor context menu',
          'view/title': 'chat view title bar',
          'editor/title': 'editor title',
        }[menu] ?? menu;
      where.push(name);
    }
  }
  const hidden = (contributes.menus?.commandPalette ?? []).some((i) => i.command === command && i.when === 'false');
  if (!hidden) where.unshift('Command Palette');
  return [...new Set(where)].join(', ');
}

export function commandsTable() {
  const cmds = contributes.commands ?? [];
  if (!cmds.length) return '_No commands are contributed yet._';
  const rows = cmds.map(
    (c) =>
      `| ${cell(`${c.category ? `${c.category}: ` : ''}${c.title}`)} | \`${c.command}\` | ${keyFor(c.command)} | ${menusFor(c.command)} |`,
  );
  return ['| Command | ID | Keybinding | Where |', '|---|---|---|---|', ...rows].join('\n');
}

function replaceBetween(text, name, body) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${start} … ${end} markers`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

const mode = process.argv[2];
if (mode === '--write' || mode === '--check') {
  const readmePath = join(repo, 'README.md');
  const before = readFileSync(readmePath, 'utf8');
  const after = replaceBetween(
    replaceBetween(before, 'settings-table', settingsTable()),
    'commands-table',
    commandsTable(),
  );
  if (mode === '--write') {
    writeFileSync(readmePath, after);
    console.log(after === before ? 'README.md tables already up to date' : 'README.md tables updated');
  } else if (after !== before) {
    console.error('README.md settings/commands tables are out of date: run node scripts/settings-table.mjs --write');
    process.exit(1);
  } else {
    console.log('README.md tables are up to date');
  }
} else {
  console.log('## Commands\n');
  console.log(commandsTable());
  console.log('\n## Settings\n');
  console.log(settingsTable());
}
