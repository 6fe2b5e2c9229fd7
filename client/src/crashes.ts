// When to stop restarting a crashing server: like other language extensions, restart after
// a crash unless it has crashed `limit` times within `windowMs`; then say so and stop.
// Plain data and a clock, so that the policy is unit-tested without an editor.

export const CRASH_LIMIT = 5;
export const CRASH_WINDOW_MS = 3 * 60 * 1000;

export type CrashVerdict = 'restart' | 'give-up';

export class CrashTracker {
  private crashes: number[] = [];

  constructor(
    private readonly limit = CRASH_LIMIT,
    private readonly windowMs = CRASH_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash and decides: restart, or give up (the limit was reached within the window). */
  crashed(): CrashVerdict {
    const t = this.now();
    this.crashes = [...this.crashes.filter((c) => t - c < this.windowMs), t];
    if (this.crashes.length < this.limit) return 'restart';
    this.crashes = [];
    return 'give-up';
  }

  /** Crashes counted now (within the window). */
  get recent(): number {
    const t = this.now();
    return this.crashes.filter((c) => t - c < this.windowMs).length;
  }

  /** A deliberate (re)start: earlier crashes no longer count. */
  reset(): void {
    this.crashes = [];
  }
}

export function crashMessage(limit = CRASH_LIMIT, windowMs = CRASH_WINDOW_MS): string {
  const minutes = Math.round(windowMs / 60000);
  return `Readiness server crashed ${limit} times in the last ${minutes} minutes. It will not be restarted until you restart it; the output has the details.`;
}
