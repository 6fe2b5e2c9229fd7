// The production-readiness assessment as plain data, built only from the scan's evidence.
// The Markdown and HTML reports are two renderings of this one model.
import type { ScanOutcome } from '../../engine/index';
import type { Rule } from '../../engine/rule';
import { CATEGORIES, type Category, type Check, type Evidence, type Finding, type ServiceInfo, type Severity, type Status, type SuppressedFinding } from '../../engine/types';
import { ruleDocUrl, TOOL, type ToolInfo } from '../tool';
import { CATEGORY_LABELS, countBySeverity, plural } from './common';
import { evidenceRange } from './json';

export const STATUS_ICONS: Readonly<Record<Status, string>> = { pass: '✅', partial: '⚠️', fail: '❌', 'not-applicable': '➖' };
export const STATUS_WORDS: Readonly<Record<Status, string>> = { pass: 'pass', partial: 'partial', fail: 'fail', 'not-applicable': 'not applicable' };

export type Priority = 'P0' | 'P1' | 'P2';
export const PRIORITY_TITLES: Readonly<Record<Priority, string>> = {
  P0: 'P0 — fix before going to production',
  P1: 'P1 — fix soon',
  P2: 'P2 — worth doing',
};

/** One cited fact: a place (`file:line`) and what is there, or a statement of what was looked for. */
export interface Citation {
  file?: string;
  line?: number;
  text: string;
}

export interface CheckLine {
  id: string;
  title: string;
  helpUri: string;
  status: Status;
  summary: string;
  suppressed: number;
  citations: Citation[];
  /** Citations left out of `citations`. */
  more: number;
}

export interface CategorySection {
  category: Category;
  label: string;
  score: number | null;
  weight: number;
  checks: number;
  applicable: number;
  lines: CheckLine[];
}

export interface ActionItem {
  priority: Priority;
  ruleId: string;
  title: string;
  helpUri: string;
  category: Category;
  /** What passing looks like (the rule's summary). */
  goal: string;
  /** Why it has this priority, e.g. "2 errors" or "failing security check". */
  reason: string;
  /** Overall points gained when the whole check passes, when it can be computed. */
  impact: number | null;
  citations: Citation[];
  more: number;
}

/** Prose with inline code: plain strings and `{ code }` parts (paths, ids). */
export type Segment = string | { code: string };

export interface Assessment {
  title: string;
  date: string;
  tool: ToolInfo;
  roots: string[];
  overall: number | null;
  grade: string;
  overview: Segment[][];
  categories: CategorySection[];
  plan: ActionItem[];
  suppressed: { ruleId: string; helpUri: string; file: string; line: number; via: SuppressedFinding['via']; reason?: string }[];
  errors: Citation[];
  skipped: { file: string; reason: string }[];
  skippedMore: number;
  services: ServiceInfo[];
  notAnalysed: [string, number][];
  files: number;
}

export interface AssessmentOptions {
  /** `YYYY-MM-DD`; see `reportDate`. */
  date: string;
  /** Names for the title (default: the roots as given). */
  names?: string[];
  tool?: ToolInfo;
  /** Citations per check or action item before "and N more" (default 5). */
  maxCitations?: number;
  /** Skipped files listed before "and N more" (default 50). */
  maxSkipped?: number;
}

const PRIORITY_ORDER: Readonly<Record<Priority, number>> = { P0: 0, P1: 1, P2: 2 };

function findingCitation(f: Finding): Citation {
  return { file: f.file, line: f.range.start.line, text: f.message };
}

function evidenceCitation(e: Evidence): Citation {
  const range = evidenceRange(e);
  if (e.file === undefined) return { text: e.note };
  return range ? { file: e.file, line: range.start.line, text: e.note } : { file: e.file, text: e.note };
}

function cap<T>(items: readonly T[], max: number): { items: T[]; more: number } {
  return { items: items.slice(0, max), more: Math.max(0, items.length - max) };
}

function byRule<T extends { ruleId: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    let list = out.get(it.ruleId);
    if (!list) out.set(it.ruleId, (list = []));
    list.push(it);
  }
  return out;
}

/** Points of the overall score a check would add if it passed, from the scoring formula. */
function impacts(outcome: ScanOutcome): Map<string, number> {
  const out = new Map<string, number>();
  const applicableCats = CATEGORIES.filter((c) => outcome.categories[c].score !== null && outcome.categories[c].weight > 0);
  const den = applicableCats.reduce((s, c) => s + outcome.categories[c].weight, 0);
  if (den <= 0) return out;
  for (const cat of applicableCats) {
    const checks = outcome.checks.filter((c) => c.category === cat && c.score !== null && c.weight > 0);
    const w = checks.reduce((s, c) => s + c.weight, 0);
    if (w <= 0) continue;
    for (const c of checks) out.set(c.id, ((outcome.categories[cat].weight / den) * (c.weight * (1 - (c.score as number)))) / w * 100);
  }
  return out;
}

function priorityOf(f: Finding, check: Check | undefined): Priority {
  if (f.severity === 'error') return 'P0';
  if (check && check.category === 'security' && check.status === 'fail') return 'P0';
  return f.severity === 'warning' ? 'P1' : 'P2';
}

function reasonFor(priority: Priority, counts: Record<Severity, number>, check: Check | undefined): string {
  const parts: string[] = [];
  if (counts.error) parts.push(plural(counts.error, 'error'));
  if (counts.warning) parts.push(plural(counts.warning, 'warning'));
  if (counts.info) parts.push(`${counts.info} info`);
  if (priority === 'P0' && counts.error === 0 && check?.category === 'security' && check.status === 'fail') parts.push('failing security check');
  return parts.join(', ');
}

export function buildAssessment(outcome: ScanOutcome, rules: readonly Rule[], opts: AssessmentOptions): Assessment {
  const tool = opts.tool ?? TOOL;
  const max = opts.maxCitations ?? 5;
  const maxSkipped = opts.maxSkipped ?? 50;
  const meta = new Map(rules.map((r) => [r.meta.id, r.meta]));
  const catalogueRank = new Map(rules.map((r, i) => [r.meta.id, i]));
  const titleOf = (id: string): string => meta.get(id)?.title ?? id;
  const findingsByRule = byRule(outcome.findings);
  const suppressedByRule = byRule(outcome.suppressed);
  const checkById = new Map(outcome.checks.map((c) => [c.id, c]));
  const gain = impacts(outcome);

  // Checklists, one per category, in catalogue order.
  const categories: CategorySection[] = CATEGORIES.map((cat) => {
    const c = outcome.categories[cat];
    const lines: CheckLine[] = outcome.checks
      .filter((k) => k.category === cat)
      .map((k) => {
        const findings = (findingsByRule.get(k.id) ?? []).map(findingCitation);
        const evidence = k.evidence.map(evidenceCitation);
        const all = k.scope === 'workspace' ? [...evidence, ...findings] : [...findings, ...evidence];
        const { items, more } = cap(all, max);
        return { id: k.id, title: titleOf(k.id), helpUri: ruleDocUrl(k.id, tool), status: k.status, summary: k.summary, suppressed: suppressedByRule.get(k.id)?.length ?? 0, citations: items, more };
      });
    return { category: cat, label: CATEGORY_LABELS[cat], score: c.score, weight: c.weight, checks: c.checks, applicable: c.applicable, lines };
  });

  // The action plan: findings grouped by rule and priority, most valuable first.
  const groups = new Map<string, { priority: Priority; ruleId: string; findings: Finding[] }>();
  for (const f of outcome.findings) {
    const priority = priorityOf(f, checkById.get(f.ruleId));
    const key = `${priority}\u0000${f.ruleId}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { priority, ruleId: f.ruleId, findings: [] }));
    g.findings.push(f);
  }
  for (const k of outcome.checks) {
    if (k.category !== 'security' || k.status !== 'fail' || findingsByRule.has(k.id)) continue;
    groups.set(`P0\u0000${k.id}`, { priority: 'P0', ruleId: k.id, findings: [] });
  }
  const plan: ActionItem[] = [...groups.values()].map((g) => {
    const check = checkById.get(g.ruleId);
    const citations = g.findings.length > 0 ? g.findings.map(findingCitation) : (check?.evidence ?? []).map(evidenceCitation);
    const { items, more } = cap(citations, max);
    const m = meta.get(g.ruleId);
    return {
      priority: g.priority,
      ruleId: g.ruleId,
      title: titleOf(g.ruleId),
      helpUri: ruleDocUrl(g.ruleId, tool),
      category: m?.category ?? check?.category ?? g.findings[0]!.category,
      goal: m?.summary ?? check?.summary ?? '',
      reason: reasonFor(g.priority, countBySeverity(g.findings), check),
      impact: gain.get(g.ruleId) ?? null,
      citations: items,
      more,
    };
  });
  plan.sort(
    (a, b) =>
      PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] ||
      (b.impact ?? 0) - (a.impact ?? 0) ||
      (catalogueRank.get(a.ruleId) ?? Number.MAX_SAFE_INTEGER) - (catalogueRank.get(b.ruleId) ?? Number.MAX_SAFE_INTEGER) ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );

  // The overview: counts only, each one read off the scan.
  const overview: Segment[][] = [];
  const applicable = outcome.checks.filter((k) => k.status !== 'not-applicable');
  const rootList: Segment[] = outcome.roots.flatMap((r, i) => (i === 0 ? [{ code: r }] : [', ', { code: r }]));
  overview.push([`Scanned ${plural(outcome.stats.files, 'file')} under `, ...rootList, ` with ${plural(outcome.checks.length, 'enabled check')}; ${applicable.length} applied to this workspace.`]);
  if (outcome.overall === null) {
    overview.push(['No enabled check applies to anything in this workspace, so there is no score.']);
  } else {
    const by = (s: Status): number => outcome.checks.filter((k) => k.status === s).length;
    overview.push([`Checks: ${by('pass')} pass, ${by('partial')} partial, ${by('fail')} fail, ${by('not-applicable')} not applicable.`]);
    const scored = categories.filter((c) => c.score !== null);
    const weakest = [...scored].sort((a, b) => (a.score as number) - (b.score as number) || b.weight - a.weight)[0];
    const strongest = [...scored].sort((a, b) => (b.score as number) - (a.score as number) || b.weight - a.weight)[0];
    if (weakest && strongest && scored.length > 1) overview.push([`Weakest category: ${weakest.label} (${weakest.score}/100); strongest: ${strongest.label} (${strongest.score}/100).`]);
  }
  const counts = countBySeverity(outcome.findings);
  overview.push([`Findings: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info${outcome.suppressed.length ? `; ${outcome.suppressed.length} suppressed` : ''}.`]);
  const uncovered = categories.filter((c) => c.checks === 0).map((c) => c.label);
  if (uncovered.length > 0) overview.push([`No enabled check covers ${uncovered.join(', ')}: ${uncovered.length === 1 ? 'it is' : 'they are'} not scored.`]);
  const notAnalysed = Object.entries(outcome.stats.notAnalysed).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (notAnalysed.length > 0) {
    overview.push([`Not analysed: ${notAnalysed.map(([lang, n]) => plural(n, `${lang} file`)).join(', ')}; no rule reads these languages yet, so code written in them is not assessed.`]);
  }
  if (outcome.errors.length > 0) overview.push([`${plural(outcome.errors.length, 'parse error')} (listed below); parse errors do not move the score.`]);

  const names = opts.names && opts.names.length > 0 ? opts.names : outcome.roots;
  const skipped = cap(outcome.skipped, maxSkipped);
  return {
    title: `Production readiness assessment — ${names.join(', ')}`,
    date: opts.date,
    tool,
    roots: [...outcome.roots],
    overall: outcome.overall,
    grade: outcome.grade,
    overview,
    categories,
    plan,
    suppressed: outcome.suppressed.map((s) => ({ ruleId: s.ruleId, helpUri: ruleDocUrl(s.ruleId, tool), file: s.file, line: s.range.start.line, via: s.via, ...(s.reason !== undefined ? { reason: s.reason } : {}) })),
    errors: outcome.errors.map((e) => (e.line !== undefined ? { file: e.file, line: e.line, text: e.message } : { file: e.file, text: e.message })),
    skipped: skipped.items.map((s) => ({ file: s.file, reason: s.reason })),
    skippedMore: skipped.more,
    services: [...outcome.services],
    notAnalysed,
    files: outcome.stats.files,
  };
}

/** `file:line`, or `file`, for a citation that has a place. */
export function placeOf(c: { file?: string; line?: number }): string | undefined {
  if (c.file === undefined) return undefined;
  return c.line !== undefined && c.line > 0 ? `${c.file}:${c.line}` : c.file;
}
