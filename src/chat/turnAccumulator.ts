// What one turn has produced so far, over all its rounds: the answer text and reasoning shown to the user (each
// capped at the answer limit), the messages to append to the history, the tool-call rows and the summed usage.
// The rounds write into it; `result` reads it out as the turn's result.
import type { ChatMessage, Usage } from '../api/types';
import type { ToolCallView } from '../protocol';
import { AnswerLimitReached } from './answerLimit';
import type { TurnEvents, TurnResult } from './turn';

export class TurnAccumulator {
  private content = '';
  private reasoning = '';
  private usage: Usage | undefined;
  /** assistant (with tool_calls) + tool messages + final assistant. */
  readonly newMessages: ChatMessage[] = [];
  readonly toolCalls: ToolCallView[] = [];
  /** Whether this round has shown text yet (its first text is kept apart from earlier rounds' by a blank line). */
  private roundHasText = false;
  /** Characters of this round's own text that were shown (what its history message keeps if it is cut). */
  private roundChars = 0;

  constructor(
    private readonly events: Pick<TurnEvents, 'onText' | 'onReasoning'>,
    /** The most characters the text (and, separately, the reasoning) may reach. */
    readonly maxChars: number,
  ) {}

  startRound(): void {
    this.roundHasText = false;
    this.roundChars = 0;
  }

  /** Shows answer text; throws `AnswerLimitReached` (after showing what fits) when it passes the limit. */
  readonly emitText = (t: string): void => {
    if (!t) return;
    if (!this.roundHasText && this.content && !this.content.endsWith('\n\n')) {
      const sep = this.content.endsWith('\n') ? '\n' : '\n\n';
      this.content += sep;
      this.events.onText(sep);
    }
    this.roundHasText = true;
    const kept = cutAt(t, this.maxChars - this.content.length);
    this.content += kept;
    this.roundChars += kept.length;
    if (kept) this.events.onText(kept);
    if (kept.length < t.length) throw new AnswerLimitReached('text');
  };

  /** Shows reasoning; throws `AnswerLimitReached` (after showing what fits) when it passes the limit. */
  readonly emitReasoning = (t: string): void => {
    if (!t) return;
    const kept = cutAt(t, this.maxChars - this.reasoning.length);
    this.reasoning += kept;
    if (kept) this.events.onReasoning?.(kept);
    if (kept.length < t.length) throw new AnswerLimitReached('reasoning');
  };

  /**
   * The text this round showed, as its history message keeps it when the round was cut at the limit: from the
   * streamed message (`streamed`), or else from the end of the shown text (a whole answer emitted at once).
   */
  roundText(streamed: string | undefined): string {
    return streamed !== undefined
      ? streamed.slice(0, this.roundChars)
      : this.content.slice(this.content.length - this.roundChars);
  }

  addUsage(u: Usage | undefined): void {
    if (!u) return;
    this.usage = {
      prompt_tokens: (this.usage?.prompt_tokens ?? 0) + (u.prompt_tokens ?? 0),
      completion_tokens: (this.usage?.completion_tokens ?? 0) + (u.completion_tokens ?? 0),
      total_tokens: (this.usage?.total_tokens ?? 0) + (u.total_tokens ?? 0),
    };
  }

  result(status: TurnResult['status'], extra: Partial<TurnResult> = {}): TurnResult {
    return {
      status,
      content: this.content,
      reasoning: this.reasoning,
      newMessages: this.newMessages,
      toolCalls: this.toolCalls,
      ...(this.usage ? { usage: this.usage } : {}),
      ...extra,
    };
  }
}

/** `text` cut to at most `n` UTF-16 units without splitting a surrogate pair. */
function cutAt(text: string, n: number): string {
  if (text.length <= n) return text;
  if (n <= 0) return '';
  const last = text.charCodeAt(n - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? n - 1 : n);
}
