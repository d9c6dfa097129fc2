// VS Code's message part objects -> the plain shapes of ./messages.ts. Pure: recognises the parts by their
// fields, not by `instanceof`, so it needs no `vscode` import and reads no class that an older VS Code lacks
// (LanguageModelDataPart, for one, is newer than the tool parts).
import type { LmContentPart, LmMessage, LmPart, LmRole } from './messages';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object';

const TEXT_MIME = /^(text\/|application\/(json|xml|javascript|x-ndjson)|[^;]*\+(json|xml))/i;

function contentPart(v: unknown): LmContentPart {
  if (typeof v === 'string') return { kind: 'text', value: v };
  if (!isObj(v)) return { kind: 'other', description: `a ${typeof v} part` };
  if (typeof v.mimeType === 'string' && v.data instanceof Uint8Array) {
    const part: LmContentPart = { kind: 'data', mimeType: v.mimeType, byteLength: v.data.byteLength };
    if (TEXT_MIME.test(v.mimeType)) part.text = new TextDecoder().decode(v.data);
    return part;
  }
  if ('value' in v) {
    return typeof v.value === 'string' ? { kind: 'text', value: v.value } : { kind: 'tsx', value: v.value };
  }
  const ctor = (v as { constructor?: { name?: unknown } }).constructor?.name;
  return { kind: 'other', description: typeof ctor === 'string' && ctor !== 'Object' ? `a ${ctor}` : 'a part' };
}

/** One part of a request message. */
export function toLmPart(v: unknown): LmPart {
  if (isObj(v) && typeof v.callId === 'string') {
    if (typeof v.name === 'string' && 'input' in v)
      return { kind: 'toolCall', callId: v.callId, name: v.name, input: v.input };
    if (Array.isArray(v.content)) return { kind: 'toolResult', callId: v.callId, content: v.content.map(contentPart) };
  }
  return contentPart(v);
}

/** The role of a request message (VS Code's numbers: 1 user, 2 assistant, 3 system). */
export function toLmRole(role: unknown): LmRole {
  return role === 2 ? 'assistant' : role === 3 ? 'system' : 'user';
}

/** A request message (LanguageModelChatRequestMessage, or a LanguageModelChatMessage of 1.90 with string content). */
export function toLmMessage(m: { role: unknown; content: unknown; name?: string | undefined }): LmMessage {
  const parts =
    typeof m.content === 'string'
      ? [{ kind: 'text' as const, value: m.content }]
      : Array.isArray(m.content)
        ? m.content.map(toLmPart)
        : [];
  const msg: LmMessage = { role: toLmRole(m.role), parts };
  if (m.name) msg.name = m.name;
  return msg;
}
