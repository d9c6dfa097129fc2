// How attachments are counted and how many tokens they may use together.
import { attachmentTokens } from '../attachments/resolved';
import type { Budget } from './attachments';

/** The prompt's room when nothing better is known: an 8,192-token window less a fifth kept for the answer. */
const DEFAULT_PROMPT_LIMIT = 8192 - 1638;

/** About 3 bytes of UTF-8 per token over-counts English and code a little, which keeps attachments inside. */
const approximate = (text: string): number => (text ? Math.ceil(Buffer.byteLength(text, 'utf8') / 3) : 0);

export function defaultBudget(): Budget {
  return { count: approximate, tokens: () => attachmentTokens(DEFAULT_PROMPT_LIMIT) };
}
