// read_file: a page of a text file with 1-based line numbers. Pure Node.
import { promises as fsp } from 'node:fs';
import type { ToolResult } from './port';
import { CAPS, capOutput, clampInt, formatSize } from './caps';
import type { FsToolContext } from './context';
import { errorResult } from './dispatch';
import { forEachLine, sniffBinary } from './lines';

export async function readFileTool(
  ctx: FsToolContext,
  args: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<ToolResult> {
  const r = await ctx.roots.resolve(args.path, ctx.deny);
  if (!r.ok) return errorResult(r.error);
  const st = await fsp.stat(r.real);
  if (st.isDirectory())
    return errorResult(
      `"${r.display}" is a directory; use list_directory to see what it holds.`,
      `${r.display} is a directory`,
    );
  if (!st.isFile()) return errorResult(`"${r.display}" is not a regular file.`);
  if (await sniffBinary(r.real))
    return errorResult(
      `"${r.display}" is a binary file (${formatSize(st.size)}); only text files can be read.`,
      `${r.display} is binary`,
    );

  const start = clampInt(args.start_line, 1, 1, Number.MAX_SAFE_INTEGER);
  const askedEnd = typeof args.end_line === 'number' ? Math.floor(args.end_line) : start + CAPS.readPageLines - 1;
  if (askedEnd < start) return errorResult(`end_line (${askedEnd}) is before start_line (${start}).`);
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
    return { content: `${r.display} is empty (0 lines).`, summary: `${r.display} is empty`, isError: false };
  if (body.length === 0) {
    return errorResult(
      `start_line ${start} is past the end of "${r.display}", which has ${total ?? `more than ${seen}`} lines.`,
      `start_line past the end of ${r.display}`,
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
  const summary = `${whole ? `${total} line${total === 1 ? '' : 's'} of ${r.display}` : `Lines ${start}–${last} ${ofTotal} in ${r.display}`}${capped.omitted ? ` (${capped.omitted} lines cut to fit)` : ''}`;
  return { content: out.join('\n'), summary, isError: false };
}
