// When an edit's analysis starts. The debounce window says when diagnostics may change on
// screen: not while the user types, and `debounce` ms after the last edit. The analysis
// itself starts earlier, by as long as recent analyses took, so that its diagnostics are
// ready when the window closes; they are held until then, and dropped if another edit
// arrives first (that edit's analysis publishes instead).

/** How many recent analyses the estimate looks at. */
const RECENT = 10;
/** The estimate's margin over the slowest recent analysis (timer lateness, a collection). */
const MARGIN = 1.2;
/**
 * The least lead: even a fast analysis starts this much before the window closes. Tests
 * lengthen it (READINESS_MIN_LEAD_MS) to hold an analysis long enough to type over it.
 */
const MIN_LEAD_MS = 40;

export class AnalysisLead {
  private readonly recent: number[] = [];

  constructor(private readonly minLeadMs = MIN_LEAD_MS) {}

  /** Records how long an edit's analysis took, from its start until its diagnostics were ready to send. */
  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.recent.push(ms);
    if (this.recent.length > RECENT) this.recent.shift();
  }

  /** How long before a window of `wait` ms closes its analysis should start (at most `wait`: never before the edit). */
  leadFor(wait: number): number {
    const slowest = this.recent.length > 0 ? Math.max(...this.recent) : 0;
    return Math.max(0, Math.min(wait, Math.max(this.minLeadMs, Math.ceil(slowest * MARGIN))));
  }
}

/** The least lead from the environment (READINESS_MIN_LEAD_MS), else the default. */
export function minLeadFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.READINESS_MIN_LEAD_MS;
  const n = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : MIN_LEAD_MS;
}
