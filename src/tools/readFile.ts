// read_file: a page of a text file with 1-based line numbers. Pure Node.
import { promises as fsp } from 'node:fs';
import type { ToolResult } from './port';
import { CAPS, capOutput, clampInt, formatSize } from './caps';
import type { FsToolContext } from './context';
import { errorResult } from './dispatch';
import { forEachLine, sniffBinary } from './lines';
import * as l10n from '@vscode/l10n';

export async function readFileTool(
  ctx: FsToolContext,
  args: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<ToolResult> {
  const r = await ctx.roots.resolve(args.path, ctx.deny);
  if (!r.ok) return errorResult(r.error, r.summary);
  const st = await fsp.stat(r.real);
  if (st.isDirectory())
    return errorResult(
      `"${r.display}" is a directory; use list_directory to see what it holds.`,
      l10n.t('{0} is a directory', r.display),
    );
  if (!st.isFile())
    return errorResult(`"${r.display}" is not a regular file.`, l10n.t('{0} is not a regular file', r.display));
  if (await sniffBinary(r.real))
    return errorResult(
      `"${r.display}" is a binary file (${formatSize(st.size)}); only text files can be read.`,
      l10n.t('{0} is binary', r.display),
    );

  const start = clampInt(args.start_line, 1, 1, Number.MAX_SAFE_INTEGER);
  const askedEnd = typeof args.end_line === 'number' ? Math.floor(args.end_line) : start + CAPS.readPageLines - 1;
  if (askedEnd < start) {
    const why = `end_line (${askedEnd}) is before start_line (${start}).`;
    return errorResult(why, l10n.t('end_line ({0}) is before start_line ({1})', askedEnd, start));
  }
  const end = Math.min(askedEnd, start + CAPS.readMaxLines - 1);
  const countAll = st.size <= CAPS.readFullCountBytes;

  const body: string[] = [];
  const { lines: seen, complete } = await forEachLine(
    r.real,
    (n, text) => {
      if (n >= start && n <= end) body.push(`${n}: ${text}`);
      return countAll || n < end;
    },
    { signal },
  );
  const total = complete ? seen : undefined;
  if (total === 0)
    return { content: `${r.display} is empty (0 lines).`, summary: l10n.t('{0} is empty', r.display), isError: false };
  if (body.length === 0) {
    return errorResult(
      `start_line ${start} is past the end of "${r.display}", which has ${total ?? `more than ${seen}`} lines.`,
      l10n.t('start_line past the end of {0}', r.display),
    );
  }
  const last = start + body.length - 1;
  const ofTotal = total !== undefined ? `of ${total}` : `of a ${formatSize(st.size)} file`;
  const header = `${r.display} — lines ${start}–${last} ${ofTotal}`;
  const capped = capOutput(body, {
    maxChars: CAPS.maxOutputChars - header.length - 200,
    hint: (from, to) => `Call read_file with start_line=${start + from} and end_line=${start + to} to see them.`,
  });
  const out = [header, capped.text];
  const more = total === undefined ? !complete || last < seen : last < total;
  if (more) {
    const reason = end < askedEnd ? ` (at most ${CAPS.readMaxLines} lines per call)` : '';
    out.push(`[More lines follow${reason}: call read_file with start_line=${last + 1} to read on.]`);
  }
  const whole = start === 1 && total !== undefined && last === total;
  const read = whole
    ? total === 1
      ? l10n.t('1 line of {0}', r.display)
      : l10n.t('{0} lines of {1}', total, r.display)
    : total !== undefined
      ? l10n.t('Lines {0}–{1} of {2} in {3}', start, last, total, r.display)
      : l10n.t('Lines {0}–{1} of a {2} file in {3}', start, last, formatSize(st.size), r.display);
  const summary = capped.omitted ? l10n.t('{0} ({1} lines cut to fit)', read, capped.omitted) : read;
  return { content: out.join('\n'), summary, isError: false };
}
