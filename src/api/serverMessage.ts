// Finds the server's own error message in a response body: JSON in the OpenAI shape (and the other shapes
// gateways use), else the title / first line of an HTML page, else the first line of a text body.
// No `vscode` import.

const MAX_MESSAGE = 500;

function clip(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > MAX_MESSAGE ? t.slice(0, MAX_MESSAGE - 1) + '…' : t;
}

/** The message inside a parsed JSON error body, or undefined. */
export function messageFromJson(obj: unknown): string | undefined {
  if (obj === null || obj === undefined) return undefined;
  if (typeof obj === 'string') return obj ? clip(obj) : undefined;
  if (typeof obj !== 'object') return undefined;
  const o = obj as Record<string, unknown>;
  const e = o.error;
  if (typeof e === 'string' && e) return clip(e);
  if (e && typeof e === 'object') {
    const inner =
      messageFromJson((e as Record<string, unknown>).message) ?? messageFromJson((e as Record<string, unknown>).detail);
    if (inner) return inner;
  }
  if (typeof o.message === 'string' && o.message) return clip(o.message);
  const detail = o.detail;
  if (typeof detail === 'string' && detail) return clip(detail);
  if (Array.isArray(detail) && detail.length > 0) {
    // FastAPI / pydantic: [{loc: [...], msg: "...", type: "..."}]
    const parts = detail.map((d) => {
      if (d && typeof d === 'object') {
        const loc = Array.isArray((d as { loc?: unknown[] }).loc) ? (d as { loc: unknown[] }).loc.join('.') : '';
        const raw = (d as { msg?: unknown }).msg;
        const msg = typeof raw === 'string' ? raw : raw == null ? '' : JSON.stringify(raw);
        return loc ? `${loc}: ${msg}` : msg;
      }
      return String(d);
    });
    return clip(parts.join('; '));
  }
  if (Array.isArray(o.errors) && o.errors.length > 0) return messageFromJson(o.errors[0]);
  return undefined;
}

function decodeEntities(s: string): string {
  return s.replace(
    /&(amp|lt|gt|quot|#39|nbsp);/g,
    (_, e: string) => (({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' }) as Record<string, string>)[e],
  );
}

/** The message from a raw error body of any content type. */
export function serverMessageFromBody(text: string, contentType = ''): string | undefined {
  const body = text.trim();
  if (!body) return undefined;
  const looksJson = contentType.includes('json') || body.startsWith('{') || body.startsWith('[');
  if (looksJson) {
    try {
      const m = messageFromJson(JSON.parse(body));
      if (m) return m;
    } catch {
      /* not JSON after all */
    }
  }
  const looksHtml = contentType.includes('html') || /^<(!doctype|html|head|body)/i.test(body);
  if (looksHtml) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body);
    if (title && title[1].trim()) return clip(decodeEntities(title[1]));
    const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(body);
    if (h1 && h1[1].trim()) return clip(decodeEntities(h1[1].replace(/<[^>]*>/g, '')));
    const stripped = body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, '').replace(/<[^>]*>/g, '\n');
    const line = stripped
      .split(/\r?\n|\r/)
      .map((l) => l.trim())
      .find((l) => l.length > 0);
    return line ? clip(decodeEntities(line)) : undefined;
  }
  const first = body
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  return first ? clip(first) : undefined;
}
