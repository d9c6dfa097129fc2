// The cap on one answer: its text, its reasoning and one round's tool-call arguments may each reach the most one
// message can hold. Past it Bud stops the answer itself (the request is cancelled), so memory stays bounded however
// long a server streams.

/** Thrown inside a round when the answer reaches its limit; leaving the stream loop cancels the request. */
export class AnswerLimitReached extends Error {
  constructor(readonly what: 'text' | 'reasoning' | 'tool call') {
    super(`answer ${what} limit reached`);
  }
}

/** The note saved with an answer Bud stopped at the limit. */
export function answerLimitNote(what: AnswerLimitReached['what'], max: number): string {
  const n = max.toLocaleString('en-US');
  return what === 'text'
    ? `Bud stopped this answer at ${n} characters, the most one message can hold (it could not be sent back to the model). The text up to there is kept.`
    : `Bud stopped this answer: its ${what === 'reasoning' ? 'reasoning' : 'tool call arguments'} passed ${n} characters, the most one message can hold. The answer text so far is kept.`;
}
