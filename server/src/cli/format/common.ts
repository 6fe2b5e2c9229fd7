// Small helpers shared by the formatters.
import type { Finding, Severity } from '../../engine/types';

export { CATEGORY_LABELS } from '../../engine/types';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

/** `YYYY-MM-DD` from `SOURCE_DATE_EPOCH` (seconds) when set and valid, else from `now`. */
export function reportDate(env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): string {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw !== undefined && /^\s*\d+\s*$/.test(raw)) {
    const d = new Date(Number(raw) * 1000);
    if (!Number.isNaN(d.getTime())) return d.toISOString().slice(0, 10);
  }
  return now.toISOString().slice(0, 10);
}
