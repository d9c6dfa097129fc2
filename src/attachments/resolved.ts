// An attachment read and ready to be fitted: how many tokens it needs whole, and how to fit it into fewer.
// Pure: no `vscode` import.
//
// When a message is sent, every attachment is read again; the attachment budget is split among them
// (`allocateBudget`: small ones get what they need, large ones share the rest), and each is fitted into its share.
import { formatContext } from '../chat/prompts';
import type { CodeContext } from '../protocol';
import { fitText, type Count } from './fitText';

/** Share of the prompt's room (context window minus the answer's reserve) the attachments of one message may use. */
export const ATTACHMENT_SHARE = 0.5;
/** Never less than this for all attachments together, whatever the window. */
export const MIN_ATTACHMENT_TOKENS = 512;

export function attachmentTokens(promptLimit: number): number {
  return Math.max(MIN_ATTACHMENT_TOKENS, Math.floor(promptLimit * ATTACHMENT_SHARE));
}

export interface Resolved {
  /** Tokens the whole attachment needs as sent (header and fence included); Infinity when it cannot fit anyway. */
  need: number;
  /** The attachment within `budget` tokens: whole when it fits, else cut (with an outline for files) and a note. */
  fit(budget: number): Promise<CodeContext>;
}

export interface TextAttachmentOptions {
  count: Count;
  /** The most tokens any attachment could get: text that cannot fit this is not counted whole. */
  maxTokens: number;
  /** What the note calls it ("src/app.ts", "The output"). */
  name: string;
  keep?: 'headTail' | 'tail';
  /** The outline of a file, asked for only when the file does not fit. */
  outline?: () => Promise<string | undefined>;
  gap?: { after: number; lines: number };
}

/** Room for the note the cut version carries (a sentence of about this many tokens). */
const NOTE_TOKENS = 60;

/** `base` is the attachment without its text; `text` is its whole content. */
export function textAttachment(base: Omit<CodeContext, 'text'>, text: string, opts: TextAttachmentOptions): Resolved {
  const { count } = opts;
  const overhead = count(formatContext({ ...base, text: '', note: undefined })) + 2;
  const countable = !opts.gap && text.length <= opts.maxTokens * 8;
  const need = countable ? overhead + count(text) : Infinity;
  const finish = (ctx: CodeContext): CodeContext => ({ ...ctx, tokens: count(formatContext(ctx)) });
  return {
    need,
    async fit(budget) {
      if (need <= budget) return finish({ ...base, text, note: undefined });
      const outline = opts.keep === 'tail' ? undefined : await opts.outline?.();
      const r = fitText(text, {
        budget: Math.max(0, budget - overhead - NOTE_TOKENS),
        count,
        name: opts.name,
        keep: opts.keep,
        outline,
        gap: opts.gap,
      });
      return finish({ ...base, text: r.text, note: r.note });
    },
  };
}

/** An attachment whose content is fixed (a note only, or text already short). */
export function fixedAttachment(ctx: CodeContext, count: Count): Resolved {
  const done = { ...ctx, tokens: count(formatContext(ctx)) };
  return { need: done.tokens, fit: () => Promise.resolve(done) };
}
