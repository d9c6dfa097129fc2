// The cap on one answer: its text, its reasoning and one round's tool-call arguments may each reach the most one
// message can hold. Past it Bud stops the answer itself (the request is cancelled), so memory stays bounded however
// long a server streams.
import * as l10n from '@vscode/l10n';
import { formatNumber } from '../api/locale';

/** Thrown inside a round when the answer reaches its limit; leaving the stream loop cancels the request. */
export class AnswerLimitReached extends Error {
  constructor(readonly what: 'text' | 'reasoning' | 'tool call') {
    super(`answer ${what} limit reached`);
  }
}

/** The note saved with an answer Bud stopped at the limit. */
export function answerLimitNote(what: AnswerLimitReached['what'], max: number): string {
  const n = formatNumber(max);
  switch (what) {
    case 'text':
      return l10n.t(
        'Bud stopped this answer at {0} characters, the most one message can hold (it could not be sent back to the model). The text up to there is kept.',
        n,
      );
    case 'reasoning':
      return l10n.t(
        'Bud stopped this answer: its reasoning passed {0} characters, the most one message can hold. The answer text so far is kept.',
        n,
      );
    case 'tool call':
      return l10n.t(
        'Bud stopped this answer: its tool call arguments passed {0} characters, the most one message can hold. The answer text so far is kept.',
        n,
      );
  }
}
