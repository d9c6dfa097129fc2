// What the built-in demo backend answers (`npm start` without BUD_API_KEY). Pure: a request body in,
// a planned reply out; the server (./server.ts) turns the plan into a streamed or plain response.
// Deterministic: the same request always gets the same reply.

export const DEMO_MODELS = ['bud-demo', 'bud-demo-mini'];
/** The context windows the demo's model list states (it does not enforce them). */
export const DEMO_WINDOWS: Record<string, number> = { 'bud-demo': 8192, 'bud-demo-mini': 4096 };

export type DemoPlan =
  /** `finish` "length": the answer is cut off at the token limit (Continue asks for the rest). */
  | { kind: 'text'; text: string; finish?: 'length' }
  | { kind: 'toolCall'; name: string; args: Record<string, unknown> }
  | { kind: 'error'; status: number; message: string; headers?: Record<string, string> }
  /** Stream `text`, then drop the connection without a finish (an incomplete answer). */
  | { kind: 'drop'; text: string };

interface WireToolCall {
  id?: string;
  function?: { name?: string; arguments?: string };
}
interface WireMessage {
  role?: string;
  content?: unknown;
  tool_call_id?: string;
  tool_calls?: WireToolCall[];
}
interface WireTool {
  type?: string;
  function?: { name?: string; parameters?: { properties?: Record<string, unknown>; required?: string[] } };
}
export interface DemoRequest {
  model?: string;
  messages?: WireMessage[];
  tools?: WireTool[];
  tool_choice?: unknown;
}

const DEMO_NOTE =
  '_This answer comes from the built-in demo backend. Set `BUD_API_KEY` before `npm start` to talk to a real model._';

function text(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p?.text === 'string' ? p.text : '')).join('');
  return '';
}

/** A code fence longer than any run of backticks inside `body`, so the body cannot close it. */
function fence(body: string): string {
  const longest = Math.max(2, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  return '`'.repeat(longest + 1);
}

function codeBlock(body: string, lang = ''): string {
  const f = fence(body);
  return `${f}${lang}\n${body.replace(/\n+$/, '')}\n${f}`;
}

function toolNames(req: DemoRequest): string[] {
  return (req.tools ?? []).map((t) => t.function?.name ?? '').filter(Boolean);
}

/** The argument name a tool takes for a path (`path`, `file`, `uri`, …), read from its JSON schema. */
function pathArgName(req: DemoRequest, tool: string): string {
  const def = (req.tools ?? []).find((t) => t.function?.name === tool);
  const props = Object.keys(def?.function?.parameters?.properties ?? {});
  for (const name of ['path', 'relativePath', 'filePath', 'file', 'uri', 'directory', 'dir'])
    if (props.includes(name)) return name;
  return def?.function?.parameters?.required?.[0] ?? props[0] ?? 'path';
}

/** Arguments that satisfy a tool's required properties with harmless values (for tool_choice "required"). */
function minimalArgs(req: DemoRequest, tool: string): Record<string, unknown> {
  const def = (req.tools ?? []).find((t) => t.function?.name === tool);
  const params = def?.function?.parameters;
  const args: Record<string, unknown> = {};
  for (const name of params?.required ?? []) {
    const schema = (params?.properties?.[name] ?? {}) as { type?: string };
    args[name] =
      schema.type === 'number' || schema.type === 'integer'
        ? 1
        : schema.type === 'boolean'
          ? false
          : name.toLowerCase().includes('path') || name === 'file'
            ? '.'
            : 'demo';
  }
  return args;
}

const FILE_RE =
  /(?:^|[\s`'"(])((?:[\w.-]+\/)*[\w-][\w.-]*\.(?:md|ts|tsx|js|mjs|cjs|json|py|go|rs|java|txt|toml|yaml|yml|css|html|sh))\b/i;

/** The user asked about a file or folder: returns the tool call to make first, or undefined. */
function planToolCall(req: DemoRequest, question: string): DemoPlan | undefined {
  const tools = toolNames(req);
  const file = FILE_RE.exec(question)?.[1];
  const wantsList = /\b(list|folder|director(y|ies)|files|project layout|workspace)\b/i.test(question);
  const wantsRead = /\bread\b|\bopen\b|\bsummari[sz]e\b|\bwhat(?:'s| is) in\b/i.test(question);
  if (file && tools.includes('read_file'))
    return { kind: 'toolCall', name: 'read_file', args: { [pathArgName(req, 'read_file')]: file } };
  if ((wantsList || wantsRead) && tools.includes('list_directory'))
    return { kind: 'toolCall', name: 'list_directory', args: { [pathArgName(req, 'list_directory')]: '.' } };
  if (wantsRead && tools.includes('read_file'))
    return { kind: 'toolCall', name: 'read_file', args: { [pathArgName(req, 'read_file')]: 'README.md' } };
  if ((file || wantsList || wantsRead) && tools.length === 0) {
    return {
      kind: 'text',
      text: `## Workspace tools are off\n\nYou asked about ${file ? `\`${file}\`` : 'your workspace'}, but this request came without any tools, so I can't look at files. Tools are off when \`bud.tools.enabled\` is false or the folder is in **Restricted Mode**.\n\n${DEMO_NOTE}`,
    };
  }
  return undefined;
}

/** Strips a leading line number ("12: ", "12\t", "  12 | ") that a read tool may put before each line. */
function stripLineNumber(line: string): string {
  return line.replace(/^\s*\d+\s*(?:[:|\t]\s?)/, '');
}

function answerFromToolResult(req: DemoRequest, toolMsg: WireMessage, call: WireToolCall | undefined): string {
  const name = call?.function?.name ?? 'the tool';
  let args: Record<string, unknown> = {};
  try {
    args = JSON.parse(call?.function?.arguments || '{}');
  } catch {
    /* keep empty */
  }
  const first: unknown = Object.values(args)[0];
  const target = typeof first === 'string' ? first : '';
  const result = text(toolMsg.content);
  const lines = result.split('\n');
  if (
    /^\s*(error|denied|refused)\b/i.test(result) ||
    /\b(not found|no such file|outside the workspace|is excluded)\b/i.test(lines[0] ?? '')
  ) {
    return `## I couldn't use \`${name}\`\n\nThe tool answered:\n\n> ${lines[0]}\n\nTry another file — for example \`README.md\` or \`src/greet.ts\` in the demo workspace.\n\n${DEMO_NOTE}`;
  }
  if (name !== 'list_directory' && name !== 'read_file') {
    return `The \`${name}\` tool answered:\n\n${codeBlock(lines.slice(0, 20).join('\n'))}\n\n${DEMO_NOTE}`;
  }
  if (name === 'list_directory') {
    const shown = lines.filter((l) => l.trim()).slice(0, 30);
    return `## What's in \`${target || '.'}\`\n\nI listed the folder with \`list_directory\`; it answered with **${shown.length}** line${shown.length === 1 ? '' : 's'}:\n\n${codeBlock(shown.join('\n'))}\n\nAsk me to *read* one of these files, for example: “Read src/greet.ts”.\n\n${DEMO_NOTE}`;
  }
  // A read tool may put a header line ("src/a.ts — lines 1–20 of 20") before numbered lines ("1: …").
  const numbered = /^\s*\d+\s*[:|\t]/;
  const header = lines.length > 1 && !numbered.test(lines[0]) && numbered.test(lines[1]) ? lines.shift() : undefined;
  const body = lines.map(stripLineNumber);
  const headings = body.filter((l) => /^#{1,3}\s+\S/.test(l)).slice(0, 5);
  const decls = body
    .map((l) => /\b(?:function|class|interface|def|const|let|type)\s+([A-Za-z_$][\w$]*)/.exec(l)?.[1])
    .filter((x): x is string => !!x)
    .slice(0, 6);
  const nonEmpty = body.filter((l) => l.trim()).length;
  const ext = /\.(\w+)$/.exec(target)?.[1] ?? '';
  const lang =
    (
      { ts: 'ts', js: 'js', mjs: 'js', py: 'python', md: 'markdown', json: 'json', toml: 'toml' } as Record<
        string,
        string
      >
    )[ext] ?? '';
  const excerpt = body.slice(0, 8).join('\n');
  const rows = [
    `| Lines returned | ${lines.length} |`,
    `| Non-empty lines | ${nonEmpty} |`,
    headings.length
      ? `| Headings | ${headings.map((h) => h.replace(/^#+\s+/, '').replace(/\|/g, '\\|')).join(', ')} |`
      : '',
    decls.length ? `| Declarations | ${decls.map((d) => `\`${d}\``).join(', ')} |` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return `## \`${target}\` at a glance\n\nI read the file with \`${name}\`${header ? ` (${header.trim()})` : ''}. Here is what I found:\n\n| Property | Value |\n|---|---|\n${rows}\n\nIt starts like this:\n\n${codeBlock(excerpt, lang)}\n\n${DEMO_NOTE}`;
}

/** A selection sent by Explain Selection / Ask About Selection / Add Selection to Chat. */
interface Selection {
  path?: string;
  start?: number;
  end?: number;
  language?: string;
  code: string;
  question: string;
}

function findSelection(question: string): Selection | undefined {
  const m = /(`{3,})([\w+#.-]*)[^\n]*\n([\s\S]*?)\n\1/.exec(question);
  if (!m) return undefined;
  const outside = question.slice(0, m.index) + question.slice(m.index + m[0].length);
  const range =
    /\blines?\s+(\d+)\s*(?:-|–|—|to)\s*(\d+)/i.exec(outside) ??
    /[:#]L?(\d+)(?:-L?(\d+))?\b/.exec(outside) ??
    /\bline\s+(\d+)()/i.exec(outside);
  const path = FILE_RE.exec(outside)?.[1];
  const start = range ? Number(range[1]) : undefined;
  const end = range ? Number(range[2] || range[1]) : undefined;
  const asked = outside
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(file|path|language|lines?|selection)\b\s*:/i.test(l) && !l.includes(path ?? '\u0000'))
    .join(' ');
  return { path, start, end, language: m[2] || undefined, code: m[3], question: asked };
}

function explain(sel: Selection): string {
  const lines = sel.code.split('\n');
  const where = sel.path
    ? `\`${sel.path}\`${sel.start ? `, lines ${sel.start}–${sel.end}` : ''}`
    : sel.start
      ? `lines ${sel.start}–${sel.end}`
      : 'your selection';
  const decls = lines
    .map((l) => /\b(?:function|class|interface|def|fn|func|const|let|var|type)\s+([A-Za-z_$][\w$]*)/.exec(l)?.[1])
    .filter((x): x is string => !!x);
  const calls = Array.from(new Set(Array.from(sel.code.matchAll(/\b([A-Za-z_$][\w$]*)\s*\(/g), (m) => m[1])))
    .filter((n) => !['if', 'for', 'while', 'switch', 'function', 'return', 'catch'].includes(n) && !decls.includes(n))
    .slice(0, 5);
  const comments = lines.filter((l) => /^\s*(\/\/|#|\/\*|\*)/.test(l)).length;
  const returns = lines.filter((l) => /\breturn\b/.test(l)).length;
  const parts = [
    `## Explaining ${where}`,
    '',
    `I received **${lines.length}** line${lines.length === 1 ? '' : 's'} of ${sel.language ? `\`${sel.language}\`` : 'code'}${sel.path ? ` from \`${sel.path}\`` : ''}.`,
    sel.question ? `\nYou asked: _${sel.question.slice(0, 200)}_\n` : '',
    '### What it contains',
    '',
    decls.length
      ? `- Declares ${decls
          .slice(0, 6)
          .map((d) => `\`${d}\``)
          .join(', ')}`
      : '- No named declarations: it is a fragment of a larger block',
    calls.length ? `- Calls ${calls.map((c) => `\`${c}()\``).join(', ')}` : '- Makes no function calls',
    `- ${returns} \`return\` statement${returns === 1 ? '' : 's'} and ${comments} comment line${comments === 1 ? '' : 's'}`,
    '',
    '| Selection | Value |',
    '|---|---|',
    `| File | ${sel.path ? `\`${sel.path}\`` : '(unsaved)'} |`,
    `| Lines | ${sel.start ? `${sel.start}–${sel.end}` : 'n/a'} |`,
    `| Language | ${sel.language ?? 'unknown'} |`,
    '',
    'The first lines, as I saw them:',
    '',
    codeBlock(lines.slice(0, 6).join('\n'), sel.language ?? ''),
    '',
    DEMO_NOTE,
  ];
  return parts.join('\n');
}

const TOUR = (question: string) => `## Hello from Bud Chat 👋

You said: “${question.replace(/\s+/g, ' ').slice(0, 160)}”

I'm the **demo backend** that \`npm start\` runs on 127.0.0.1, so you can try the extension without an account. Things to try:

1. **Explain Selection** — select code in \`src/greet.ts\`, right-click, *Explain Selection*.
2. **Workspace tools** — ask “Read README.md” or “List the files in this folder”.
3. **Stop** — ask for “a long answer” and press *Stop* half-way: the partial answer is kept.
4. **Errors** — send \`/error 401\`, \`/error 429\` or \`/drop\` to see how failures look.

| Feature | Where |
|---|---|
| Streamed Markdown | this answer |
| Code blocks with Copy / Insert / Open | below |
| Model picker | the model button at the top of the chat |

\`\`\`ts
// A typed greeting, with a copy button on hover.
export function greet(name: string): string {
  return \`Hello, \${name}!\`;
}
\`\`\`

Read more about the API in the [OpenAI Chat Completions reference](https://platform.openai.com/docs/api-reference/chat).

${DEMO_NOTE}`;

const LONG = Array.from(
  { length: 24 },
  (_, i) =>
    `### Part ${i + 1}\n\nThis is paragraph ${i + 1} of a deliberately long answer, streamed slowly so you can press **Stop** and see the partial text kept and marked as stopped. Each part adds a few more sentences about gardens, buds and patience; nothing here is important.`,
).join('\n\n');

const CUT_START = 'This answer is long, and the server will stop it at its token limit';
const CUT_MIDDLE = ": the first part explains how a request is fitted into the model's window, the second part";
const CUT_REST = ' — the part Continue asked for — explains what happens next. It ends here, in the same answer.';

/** Decides the reply to one chat-completions request. */
export function planReply(req: DemoRequest): DemoPlan {
  const msgs = req.messages ?? [];
  const last = msgs[msgs.length - 1];
  if (last?.role === 'tool') {
    const call = msgs.flatMap((m) => m.tool_calls ?? []).find((c) => c.id === last.tool_call_id);
    return { kind: 'text', text: answerFromToolResult(req, last, call) };
  }
  const question = text([...msgs].reverse().find((m) => m.role === 'user')?.content).trim();

  const forced = req.tool_choice;
  const tools = toolNames(req);
  if (tools.length && (forced === 'required' || (typeof forced === 'object' && forced))) {
    const name =
      typeof forced === 'object' ? ((forced as { function?: { name?: string } }).function?.name ?? tools[0]) : tools[0];
    return { kind: 'toolCall', name, args: minimalArgs(req, name) };
  }

  const err = /^\/error\s+(\d{3})\b/.exec(question);
  if (err) {
    const status = Number(err[1]);
    // No "demo" in these texts: the extension's placeholder key is "demo", and the client rightly redacts the key from server messages.
    const messages: Record<number, string> = {
      401: 'Invalid API key',
      403: 'This key may not use this model',
      404: `The model '${req.model}' does not exist`,
      413: 'Request too large',
      422: 'Unprocessable request',
      429: 'Rate limit reached',
      500: 'Internal server error',
      503: 'The model is overloaded',
    };
    return {
      kind: 'error',
      status,
      message: `${messages[status] ?? `Error ${status}`} (you asked for it with /error ${status})`,
      headers: status === 429 ? { 'retry-after': '2' } : undefined,
    };
  }
  // "/cut": an answer cut off at the token limit; Continue (the partial answer sent back last) gets the rest.
  if (last?.role === 'assistant' && text(last.content).startsWith(CUT_START)) return { kind: 'text', text: CUT_REST };
  if (/^\/cut\b/.test(question)) return { kind: 'text', text: CUT_START + CUT_MIDDLE, finish: 'length' };
  if (/^\/drop\b/.test(question))
    return {
      kind: 'drop',
      text: 'This answer starts normally, but the connection will drop in the middle of this sent',
    };

  // "call the ping tool" (Test Connection does this): call a tool the request offers by name.
  const named = /\bcall (?:the )?[`"']?([\w-]+)[`"']? tool\b/i.exec(question)?.[1];
  if (named && tools.includes(named)) return { kind: 'toolCall', name: named, args: minimalArgs(req, named) };

  const selection = findSelection(question);
  if (selection) return { kind: 'text', text: explain(selection) };

  const tool = planToolCall(req, question);
  if (tool) return tool;

  if (/\blong\b|\bstory\b|\bessay\b/i.test(question))
    return { kind: 'text', text: `## A long answer\n\n${LONG}\n\n${DEMO_NOTE}` };
  if (!question) return { kind: 'text', text: `Say something and I'll answer.\n\n${DEMO_NOTE}` };
  return { kind: 'text', text: TOUR(question) };
}

/** Splits text into stream pieces of a few words, like tokens arriving from a model. */
export function streamPieces(s: string): string[] {
  return (
    s.match(/\S+\s*|\s+/g)?.reduce<string[]>((acc, w, i) => {
      if (i % 2 === 0) acc.push(w);
      else acc[acc.length - 1] += w;
      return acc;
    }, []) ?? []
  );
}

/** A rough token count (4 characters a token) for the usage the demo reports. */
export function roughTokens(s: string): number {
  return Math.max(1, Math.ceil(s.length / 4));
}
