// The chat webview's HTML: a strict Content-Security-Policy with a per-load nonce from `crypto`.
// Nothing remote can load: scripts only with the nonce, styles / fonts / images only from the extension's
// dist folder (images also as data: URIs), no connections, frames, forms or objects (default-src 'none').
import { randomBytes } from 'node:crypto';

export interface HtmlAssets {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
  /** The display language (`vscode.env.language`), for `<html lang>`; default "en". */
  language?: string;
  /**
   * The translated strings of the display language (`vscode.l10n.bundle`), embedded as a JSON data block the app
   * reads before it builds the view, so its first paint is already in that language. Absent in English.
   */
  strings?: Record<string, string>;
}

export function createNonce(): string {
  return randomBytes(18)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
  ].join('; ');
}

// A JSON data block is not run (so the CSP does not apply to it), but `</script>` or `<!--` inside a string would
// end it early: `<` is written as \u003c, which JSON.parse reads back as the same character.
const jsonForScript = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function renderHtml(a: HtmlAssets, nonce = createNonce()): string {
  return `<!DOCTYPE html>
<html lang="${attr(a.language ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(a.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(a.codiconsUri)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${attr(a.styleUri)}">
<title>Bud Chat</title>
</head>
<body>
<div id="root"></div>
${a.strings ? `<script type="application/json" id="bud-l10n">${jsonForScript(a.strings)}</script>\n` : ''}<script nonce="${nonce}" src="${attr(a.scriptUri)}"></script>
</body>
</html>`;
}
