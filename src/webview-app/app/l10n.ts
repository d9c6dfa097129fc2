// The view's strings: English in the code (`l10n.t('…')` of @vscode/l10n, the same t() as the extension's pure
// layers), translations from the JSON block the host embeds in the page (the bundle VS Code loaded for the display
// language). Read before the app builds the view, so the first paint is already translated.
import * as l10n from '@vscode/l10n';

export function loadStrings(doc: Document = document): void {
  const text = doc.getElementById('bud-l10n')?.textContent;
  if (!text) return;
  try {
    l10n.config({ contents: JSON.parse(text) as Record<string, string> });
  } catch {
    // A malformed block leaves the view in English rather than without text.
  }
}

/**
 * A translated sentence with elements in it: `withNodes(l10n.t('Choose {0} or {1}.', '{0}', '{1}'), a, b)` gives
 * ['Choose ', a, ' or ', b, '.'], so translators see the whole sentence and may move the elements.
 */
export function withNodes(sentence: string, ...nodes: Node[]): (string | Node)[] {
  return sentence
    .split(/\{(\d+)\}/)
    .map((part, i) => (i % 2 === 1 ? (nodes[Number(part)] ?? `{${part}}`) : part))
    .filter((part) => part !== '');
}
