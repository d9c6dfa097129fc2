// The chat webview's HTML: a strict Content-Security-Policy with a per-load nonce from `crypto`.
// Nothing remote can load: scripts only with the nonce, styles / fonts / images only from the extension's
// dist folder (images also as data: URIs), no connections, frames, forms or objects (default-src 'none').
import { randomBytes } from 'node:crypto';

export interface HtmlAssets {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
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

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function renderHtml(a: HtmlAssets, nonce = createNonce()): string {
  return `<!DOCTYPE html>
<html lang="en">
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
<script nonce="${nonce}" src="${attr(a.scriptUri)}"></script>
</body>
</html>`;
}
