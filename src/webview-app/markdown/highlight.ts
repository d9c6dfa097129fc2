// Syntax highlighting for closed code blocks: highlight.js core with a curated set of common languages,
// so the webview bundle stays small. Output is highlight.js HTML (escaped text in <span class="hljs-…">),
// which still goes through DOMPurify with the rest of the block.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = {
  bash,
  c,
  cpp,
  csharp,
  css,
  diff,
  go,
  java,
  javascript,
  json,
  markdown,
  plaintext,
  python,
  rust,
  shell,
  sql,
  typescript,
  xml,
  yaml,
};
for (const [name, def] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, def);
// Aliases models commonly write that the language definitions do not declare themselves.
hljs.registerAliases(['sh', 'zsh', 'console-bash'], { languageName: 'bash' });
hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' });
hljs.registerAliases(['node', 'mjs', 'cjs'], { languageName: 'javascript' });
hljs.registerAliases(['mts', 'cts'], { languageName: 'typescript' });
hljs.registerAliases(['text', 'txt', 'plain'], { languageName: 'plaintext' });

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

/** Whether `lang` names one of the bundled languages (or an alias of one). */
export function isKnownLanguage(lang: string): boolean {
  return !!lang && !!hljs.getLanguage(lang);
}

const cache = new Map<string, string>();
const CACHE_MAX = 64;

/**
 * HTML for the inside of `<code>`: highlighted when the language is known, escaped text otherwise (no
 * auto-detection: it is slow and often wrong). Results are cached, so a closed block that is rendered again
 * (a tail re-render, a committed block) costs nothing.
 */
export function highlightCode(code: string, lang: string): string {
  if (!isKnownLanguage(lang)) return escapeHtml(code);
  const key = lang + '\u0000' + code;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let html: string;
  try {
    html = hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
  } catch {
    html = escapeHtml(code);
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, html);
  return html;
}
