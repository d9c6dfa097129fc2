// The tools as the model sees them (OpenAI `tools` format) and a small validator for their arguments. Pure.
import type { FunctionTool } from '../api/types';
import { CAPS } from './caps';

export type ToolName =
  | 'read_file'
  | 'list_directory'
  | 'find_files'
  | 'search_text'
  | 'get_diagnostics'
  | 'get_open_editors'
  | 'get_document_symbols';

/** The subset of JSON Schema the tools use. */
export interface PropSchema {
  type: 'string' | 'integer' | 'boolean';
  description: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
}
export interface ObjectSchema {
  type: 'object';
  properties: Record<string, PropSchema>;
  required: string[];
  additionalProperties: false;
}

const PATH_NOTE =
  'Workspace-relative, "/"-separated (e.g. "src/index.ts"); in a multi-root workspace start with the folder name (e.g. "api/src/index.ts"). An absolute path inside a workspace folder is accepted.';

function tool(
  name: ToolName,
  description: string,
  properties: Record<string, PropSchema>,
  required: string[] = [],
): FunctionTool & { function: { parameters: ObjectSchema } } {
  return {
    type: 'function',
    function: { name, description, parameters: { type: 'object', properties, required, additionalProperties: false } },
  };
}

export const TOOL_DEFINITIONS = {
  read_file: tool(
    'read_file',
    `Read a text file from the user's workspace. Returns the lines prefixed by their 1-based line numbers ("12: text"). Without end_line you get up to ${CAPS.readPageLines} lines from start_line; ask for the next page with start_line. At most ${CAPS.readMaxLines} lines per call. Binary files and secret files (.env, keys, credentials) are refused.`,
    {
      path: { type: 'string', description: `The file to read. ${PATH_NOTE}`, minLength: 1 },
      start_line: { type: 'integer', description: 'First line to return, 1-based (default 1).', minimum: 1 },
      end_line: { type: 'integer', description: 'Last line to return, 1-based, inclusive.', minimum: 1 },
    },
    ['path'],
  ),
  list_directory: tool(
    'list_directory',
    `List a directory of the workspace: each entry with its type (file/dir/symlink) and size, directories first, sorted by name. depth 1 lists only the directory itself; up to depth ${CAPS.listMaxDepth} lists sub-directories too. At most ${CAPS.listMaxEntries} entries. Use "." (or the folder name in a multi-root workspace) for the root.`,
    {
      path: { type: 'string', description: `The directory. ${PATH_NOTE}` },
      depth: {
        type: 'integer',
        description: `How many levels to list (default ${CAPS.listDefaultDepth}, max ${CAPS.listMaxDepth}).`,
        minimum: 1,
        maximum: CAPS.listMaxDepth,
      },
    },
    ['path'],
  ),
  find_files: tool(
    'find_files',
    'Find files in the workspace by glob pattern. A pattern without "/" matches file names at any depth ("*.ts", "package.json"); a pattern with "/" matches the workspace-relative path ("src/**/*.test.ts"). Files hidden by files.exclude, search.exclude and .gitignore are left out. Returns workspace-relative paths, sorted.',
    {
      glob: { type: 'string', description: 'Glob pattern, e.g. "**/*.md" or "src/**/index.ts".', minLength: 1 },
      max_results: {
        type: 'integer',
        description: `Most paths to return (default ${CAPS.findDefaultResults}, max ${CAPS.findMaxResults}).`,
        minimum: 1,
        maximum: CAPS.findMaxResults,
      },
    },
    ['glob'],
  ),
  search_text: tool(
    'search_text',
    `Search the text of the workspace's files (fast, ripgrep-based). Case-insensitive unless the query has an upper-case letter. Results are "path:line: text" for matches and "path-line- text" for ${CAPS.searchContextLines} context line(s) around them, groups separated by "--". Files hidden by files.exclude, search.exclude and .gitignore are skipped, as are binary files.`,
    {
      query: {
        type: 'string',
        description: 'The text to find (or a regular expression when is_regex is true).',
        minLength: 1,
      },
      is_regex: { type: 'boolean', description: 'Treat query as a regular expression (default false: literal text).' },
      include_glob: { type: 'string', description: 'Only search files matching this glob, e.g. "*.ts" or "src/**".' },
      max_results: {
        type: 'integer',
        description: `Most matching lines to return (default ${CAPS.searchDefaultResults}, max ${CAPS.searchMaxResults}).`,
        minimum: 1,
        maximum: CAPS.searchMaxResults,
      },
    },
    ['query'],
  ),
  get_diagnostics: tool(
    'get_diagnostics',
    'Errors and warnings from VS Code\'s Problems view (compilers, linters), as "path:line:column: severity: message [source]". Give a path for one file, or nothing for the whole workspace.',
    { path: { type: 'string', description: `Optional file. ${PATH_NOTE}` } },
  ),
  get_open_editors: tool(
    'get_open_editors',
    'The files open in editor tabs, which one is active, and the selection (line:column ranges, and the selected text when short) in the active editor.',
    {},
  ),
  get_document_symbols: tool(
    'get_document_symbols',
    "The outline of a file from VS Code's language support: classes, functions, methods, variables, with their kind and line range, nested.",
    { path: { type: 'string', description: `The file. ${PATH_NOTE}`, minLength: 1 } },
    ['path'],
  ),
} satisfies Record<ToolName, FunctionTool>;

/** Checks `value` against an object schema; returns the problems ([] when valid). */
export function validateArgs(schema: ObjectSchema, value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return ['the arguments must be a JSON object'];
  const problems: string[] = [];
  const obj = value as Record<string, unknown>;
  for (const r of schema.required)
    if (!(r in obj) || obj[r] === undefined || obj[r] === null) problems.push(`"${r}" is required`);
  for (const [k, v] of Object.entries(obj)) {
    const p = schema.properties[k];
    if (!p) {
      problems.push(`unknown argument "${k}" (allowed: ${Object.keys(schema.properties).join(', ') || 'none'})`);
      continue;
    }
    if (v === null || v === undefined) continue;
    switch (p.type) {
      case 'string':
        if (typeof v !== 'string') problems.push(`"${k}" must be a string`);
        else if (p.minLength !== undefined && v.length < p.minLength) problems.push(`"${k}" must not be empty`);
        break;
      case 'boolean':
        if (typeof v !== 'boolean') problems.push(`"${k}" must be true or false`);
        break;
      case 'integer':
        if (typeof v !== 'number' || !Number.isInteger(v)) problems.push(`"${k}" must be an integer`);
        else if (p.minimum !== undefined && v < p.minimum) problems.push(`"${k}" must be at least ${p.minimum}`);
        else if (p.maximum !== undefined && v > p.maximum) problems.push(`"${k}" must be at most ${p.maximum}`);
        break;
    }
  }
  return problems;
}
