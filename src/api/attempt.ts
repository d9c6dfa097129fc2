// The signals and timers of one request attempt: the caller's AbortSignal, the overall deadline and the
// streaming idle timer all abort one AbortController, and `why` says which fired. No `vscode` import.

export type Why = 'user' | 'deadline' | 'idle';

/** The signals and timers of one attempt. */
export class AttemptControl {
  readonly ac = new AbortController();
  why: Why | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private idle: NodeJS.Timeout | undefined;
  private readonly onUserAbort = () => this.fire('user');

  constructor(
    private readonly user: AbortSignal | undefined,
    deadlineMs: number,
  ) {
    if (user) {
      if (user.aborted) this.fire('user');
      else user.addEventListener('abort', this.onUserAbort, { once: true });
    }
    this.setDeadline(deadlineMs);
  }

  setDeadline(ms: number): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = ms > 0 ? setTimeout(() => this.fire('deadline'), ms) : undefined;
  }

  armIdle(ms: number): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = ms > 0 ? setTimeout(() => this.fire('idle'), ms) : undefined;
  }

  disarmIdle(): void {
    if (this.idle) {
      clearTimeout(this.idle);
      this.idle = undefined;
    }
  }

  fire(why: Why): void {
    if (this.why) return;
    this.why = why;
    this.ac.abort(new Error(`bud:${why}`));
  }

  dispose(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.disarmIdle();
    this.user?.removeEventListener('abort', this.onUserAbort);
  }
}
