// The shape of a saved message, checked field by field before anything uses a loaded chat. A chat file damaged
// on disk, edited by hand or written by another version must not reach the view or the next request with a
// field of the wrong type: one such field (`toolCalls: 5` on a streaming answer) used to throw while loading,
// and a loader that throws takes the whole chat list down with it. Unknown fields are allowed (newer versions
// may add some). Pure; no `vscode` import.

type Check = (v: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str: Check = (v) => typeof v === 'string';
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const optional =
  (c: Check): Check =>
  (v) =>
    v === undefined || c(v);
const arrayOf =
  (c: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(c);
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v);
const shape =
  (fields: Record<string, Check>): Check =>
  (v) =>
    isObject(v) && Object.keys(fields).every((k) => fields[k](v[k]));

// An attachment: `kind` stays any string (a newer version's kind shows as a plain chip); chats saved before
// attachments had kinds have none of the optional fields.
const codeContext = shape({
  kind: optional(str),
  path: str,
  uri: str,
  language: str,
  startLine: num,
  endLine: num,
  text: str,
  label: optional(str),
  note: optional(str),
  tokens: optional(num),
  totalLines: optional(num),
});

const toolCallView = shape({
  id: str,
  name: str,
  argsText: str,
  state: oneOf('running', 'done', 'error', 'cancelled'),
  summary: optional(str),
  durationMs: optional(num),
});

const errorInfo = shape({
  kind: str,
  message: str,
  status: optional(num),
  requestId: optional(str),
  url: optional(str),
  actions: arrayOf(str),
});

const usage = shape({ prompt_tokens: num, completion_tokens: num, total_tokens: num });

const apiMessage = shape({
  role: oneOf('system', 'user', 'assistant', 'tool'),
  content: (v) => v === null || typeof v === 'string',
  name: optional(str),
  tool_call_id: optional(str),
  tool_calls: optional(
    arrayOf(shape({ id: str, type: oneOf('function'), function: shape({ name: str, arguments: str }) })),
  ),
});

/** Each field of a stored message (protocol.ts `MessageView` plus `apiMessages`) and its check. */
const MESSAGE_FIELDS: Record<string, Check> = {
  id: str,
  role: oneOf('user', 'assistant'),
  content: str,
  status: oneOf('streaming', 'complete', 'stopped', 'error', 'interrupted'),
  createdAt: num,
  contexts: optional(arrayOf(codeContext)),
  reasoning: optional(str),
  toolCalls: optional(arrayOf(toolCallView)),
  error: optional(errorInfo),
  usage: optional(usage),
  model: optional(str),
  note: optional(str),
  apiMessages: optional(arrayOf(apiMessage)),
  parentId: optional(str),
};

/** Why `m` is not a usable stored message ("its toolCalls field is malformed"), or undefined when it is. */
export function messageProblem(m: unknown): string | undefined {
  if (!isObject(m)) return 'it is not an object';
  for (const k of Object.keys(MESSAGE_FIELDS)) {
    if (!MESSAGE_FIELDS[k](m[k]))
      return m[k] === undefined ? `its ${k} field is missing` : `its ${k} field is malformed`;
  }
  return undefined;
}
