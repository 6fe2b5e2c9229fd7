// Checks → category scores → overall score, exactly as the design says: weighted means
// over applicable checks and categories, rounded half up only at the end.
import type { Tally } from './run';
import { CATEGORIES, DEFAULT_CATEGORY_WEIGHTS, type Category, type CategoryScore, type Check, type Evidence, type Status } from './types';

export function gradeOf(overall: number | null): string {
  if (overall === null) return 'Not assessed';
  if (overall >= 90) return 'Production ready';
  if (overall >= 75) return 'Ready with gaps';
  if (overall >= 50) return 'MVP';
  return 'Not ready';
}

/** Round half up to an integer percentage. */
export function percent(x: number): number {
  return Math.floor(x * 100 + 0.5 + 1e-9);
}

export function statusOf(score: number | null): Status {
  if (score === null) return 'not-applicable';
  if (score >= 1) return 'pass';
  if (score <= 0) return 'fail';
  return 'partial';
}

export function checkOf(t: Tally): Check {
  const m = t.rule.meta;
  let score: number | null = null;
  if (t.subjects > 0) score = m.occurrence ? (t.failing > 0 ? 0 : 1) : t.scoreSum / t.subjects;
  const words = m.subjects;
  let summary: string;
  // Occurrence rules count the files they read, whatever their subject words say.
  const singular = m.occurrence ? 'file' : words.singular;
  const plural = m.occurrence ? 'files' : words.plural;
  if (t.subjects === 0) summary = `no ${plural} to check`;
  else summary = `${t.passing} of ${t.subjects} ${t.subjects === 1 ? singular : plural} ${words.passing}`;
  const evidence: Evidence[] = t.evidence;
  return {
    id: m.id,
    category: m.category,
    weight: m.weight,
    scope: m.scope,
    status: statusOf(score),
    score,
    subjects: t.subjects,
    failing: t.failing,
    summary,
    evidence,
  };
}

export interface Scores {
  overall: number | null;
  grade: string;
  categories: Record<Category, CategoryScore>;
}

export function scoreChecks(checks: readonly Check[], weights: Partial<Record<Category, number>> = {}): Scores {
  const categories = {} as Record<Category, CategoryScore>;
  let num = 0;
  let den = 0;
  for (const cat of CATEGORIES) {
    const weight = weights[cat] ?? DEFAULT_CATEGORY_WEIGHTS[cat];
    const inCat = checks.filter((c) => c.category === cat);
    const applicable = inCat.filter((c) => c.score !== null && c.weight > 0);
    let raw: number | null = null;
    const w = applicable.reduce((s, c) => s + c.weight, 0);
    if (w > 0) raw = applicable.reduce((s, c) => s + c.weight * (c.score as number), 0) / w;
    categories[cat] = { score: raw === null ? null : percent(raw), weight, checks: inCat.length, applicable: inCat.filter((c) => c.score !== null).length };
    if (raw !== null && weight > 0) {
      num += weight * raw;
      den += weight;
    }
  }
  const overall = den > 0 ? percent(num / den) : null;
  return { overall, grade: gradeOf(overall), categories };
}
