// Which links from an answer the host opens. Pure. Only http, https and mailto; everything else (command:,
// file:, vscode:, javascript:, data:, relative links) is refused and logged.
const ALLOWED = new Set(['http:', 'https:', 'mailto:']);

export function checkLink(href: string): { ok: true; url: string } | { ok: false; reason: string } {
  const h = href.trim();
  if (!h) return { ok: false, reason: 'empty link' };
  if (h.length > 8192) return { ok: false, reason: 'link longer than 8192 characters' };
  let u: URL;
  try {
    u = new URL(h);
  } catch {
    return { ok: false, reason: 'not an absolute URL' };
  }
  if (!ALLOWED.has(u.protocol))
    return { ok: false, reason: `the ${u.protocol} scheme is not allowed (only http, https and mailto)` };
  if (u.protocol !== 'mailto:' && !u.hostname) return { ok: false, reason: 'no host' };
  return { ok: true, url: u.toString() };
}
