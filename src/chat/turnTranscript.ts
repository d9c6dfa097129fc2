// What one assistant turn has produced so far: the answer text of all its rounds (forwarded as it grows), the
// reasoning, the summed usage, the messages to append to the history and the tool-call rows. Pure.
import type { ChatMessage, Usage } from '../api/types';
import type { ToolCallView } from '../protocol';
import type { TurnEvents, TurnResult } from './turn';

export class TurnTranscript {
  readonly newMessages: ChatMessage[] = [];
  readonly toolViews: ToolCallView[] = [];
  private content = '';
  private reasoning = '';
  private usage: Usage | undefined;
  /** Whether the current round has sent text yet (its first text is set apart from earlier rounds'). */
  private roundHasText = false;

  constructor(private readonly events: TurnEvents) {}

  startRound(): void {
    this.roundHasText = false;
  }

  /** Answer text of the current round; a blank line keeps it apart from the text of earlier rounds. */
  readonly emitText = (t: string): void => {
    if (!t) return;
    if (!this.roundHasText && this.content && !this.content.endsWith('\n\n')) {
      const sep = this.content.endsWith('\n') ? '\n' : '\n\n';
      this.content += sep;
      this.events.onText(sep);
    }
    this.roundHasText = true;
    this.content += t;
    this.events.onText(t);
  };

  readonly emitReasoning = (t: string): void => {
    if (!t) return;
    this.reasoning += t;
    this.events.onReasoning?.(t);
  };

  addUsage(u: Usage | undefined): void {
    if (!u) return;
    this.usage = {
      prompt_tokens: (this.usage?.prompt_tokens ?? 0) + (u.prompt_tokens ?? 0),
      completion_tokens: (this.usage?.completion_tokens ?? 0) + (u.completion_tokens ?? 0),
      total_tokens: (this.usage?.total_tokens ?? 0) + (u.total_tokens ?? 0),
    };
  }

  /** Shows a tool-call row (a copy, so later changes to `view` are sent again explicitly). */
  showToolCall(view: ToolCallView): void {
    this.events.onToolCall?.({ ...view });
  }

  result(status: TurnResult['status'], extra: Partial<TurnResult> = {}): TurnResult {
    return {
      status,
      content: this.content,
      reasoning: this.reasoning,
      newMessages: this.newMessages,
      toolCalls: this.toolViews,
      ...(this.usage ? { usage: this.usage } : {}),
      ...extra,
    };
  }
}
