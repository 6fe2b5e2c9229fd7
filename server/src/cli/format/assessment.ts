// The production-readiness assessment as plain data, built only from the scan's evidence.
// The Markdown and HTML reports are two renderings of this one model.
import type { ScanOutcome } from '../../engine/index';
import type { Rule } from '../../engine/rule';
import { CATEGORIES, type Category, type Check, type Evidence, type Finding, type ServiceInfo, type Severity, type Status, type SuppressedFinding } from '../../engine/types';
import { ruleDocUrl, TOOL, type ToolInfo } from '../tool';
import { CATEGORY_LABELS, countBySeverity, plural, SEVERITY_RANK } from './common';
import { evidenceRange } from './json';

export const STATUS_ICONS: Readonly<Record<Status, string>> = { pass: '✅', partial: '⚠️', fail: '❌', 'not-applicable': '➖' };
export const STATUS_WORDS: Readonly<Record<Status, string>> = { pass: 'pass', partial: 'partial', fail: 'fail', 'not-applicable': 'not applicable' };
/** The checklist's verdicts, as an assessment states them. */
export const STATUS_LABELS: Readonly<Record<Status, string>> = { pass: 'READY', partial: 'PARTIAL', fail: 'MISSING', 'not-applicable': 'N/A' };

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
  /** Relative link to the file (and line), when the options gave a link base. */
  href?: string;
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

/** How much work an action item is, with the fact it was read from. */
export interface Effort {
  kind: 'quick fix' | 'config change' | 'code change' | 'docs change' | 'new component';
  /** Short label: "quick fix available", "config change", ... */
  label: string;
  /** Why: the finding/check data the label was read from. */
  basis: string;
}

/** One of the most important gaps, for the executive summary. */
export interface Gap {
  ruleId: string;
  title: string;
  helpUri: string;
  category: Category;
  categoryLabel: string;
  status: Status;
  summary: string;
  /** What passing looks like (the rule's summary). */
  goal: string;
  severity: Severity;
  categoryWeight: number;
  ruleWeight: number;
  failing: number;
  subjects: number;
  /** category weight × rule weight × severity rank × failing subjects (at least 1). */
  importance: number;
  counts: Record<Severity, number>;
  citations: Citation[];
  more: number;
  priority?: Priority;
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
  effort: Effort;
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
  /** The three most important failing or partial checks, most important first. */
  gaps: Gap[];
  /** Unsuppressed findings by severity (the same counts as the JSON report's findings). */
  severities: Record<Severity, number>;
  categories: CategorySection[];
  plan: ActionItem[];
  suppressed: { ruleId: string; helpUri: string; file: string; line: number; via: SuppressedFinding['via']; reason?: string; href?: string }[];
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
  /** Gaps in the executive summary (default 3). */
  maxGaps?: number;
  /**
   * Where the cited files are, relative to the report ("" = beside it, "../shop/"):
   * citations then link to `<base><file>#L<line>`. No links when absent.
   */
  linkBase?: string;
}

/** A relative link to a cited file and line: each path segment percent-encoded, GitHub's `#L<line>` anchor. */
export function fileHref(base: string, file: string, line?: number): string {
  const prefix = base === '' || base.endsWith('/') ? base : `${base}/`;
  // encodeURIComponent leaves !'()* alone; parentheses would end a Markdown link.
  const encoded = file
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
  return `${prefix}${encoded}${line !== undefined && line > 0 ? `#L${line}` : ''}`;
}

function linked(c: Citation, base: string | undefined): Citation {
  return base === undefined || c.file === undefined ? c : { ...c, href: fileHref(base, c.file, c.line) };
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

const CODE_FILE = /\.(?:[cm]?[jt]sx?|py|go|java|kt|kts|rb|php|cs|rs|scala|swift|c|cc|cpp|h|hpp)$/i;
const DOC_FILE = /\.(?:md|markdown|mdx|rst|adoc|txt)$/i;

function distinct(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function fileList(files: readonly string[]): string {
  const shown = files.slice(0, 3).join(', ');
  return files.length > 3 ? `${shown} and ${files.length - 3} more` : shown;
}

/**
 * How much work an action item is, read off its data: a quick fix when a finding offers
 * one; a new component when a workspace check found nothing in any subject; otherwise by
 * the kind of files the findings (or the evidence) point at.
 */
export function effortOf(findings: readonly Finding[], check: Check | undefined): Effort {
  const fixable = findings.filter((f) => f.fixes.length > 0);
  if (fixable.length > 0) {
    const titles = distinct(fixable.flatMap((f) => f.fixes.map((x) => x.title)));
    const safe = fixable.every((f) => f.fixes.some((x) => x.safe));
    const offer = findings.length === 1 ? 'the finding offers' : `${fixable.length} of ${findings.length} findings offer`;
    return { kind: 'quick fix', label: safe ? 'safe quick fix available' : 'quick fix available', basis: `${offer} a quick fix (${titles.slice(0, 2).join('; ')})` };
  }
  if (check && check.scope === 'workspace' && check.status === 'fail') {
    return { kind: 'new component', label: 'new component', basis: `the workspace check fails for ${check.failing} of ${plural(check.subjects, 'subject')}: what it looks for is to be added` };
  }
  const files = distinct(findings.length > 0 ? findings.map((f) => f.file) : (check?.evidence ?? []).flatMap((e) => (e.file !== undefined ? [e.file] : [])));
  if (files.length === 0) {
    return { kind: 'new component', label: 'new component', basis: 'no file was found to change' };
  }
  if (files.every((f) => DOC_FILE.test(f))) return { kind: 'docs change', label: 'docs change', basis: `in ${fileList(files)}` };
  if (files.some((f) => CODE_FILE.test(f))) return { kind: 'code change', label: 'code change', basis: `in ${fileList(files)}` };
  return { kind: 'config change', label: 'config change', basis: `in ${fileList(files)}` };
}

/** The severity a check's gap carries: its worst unsuppressed finding, else the rule's. */
function gapSeverity(findings: readonly Finding[], fallback: Severity): Severity {
  let worst: Severity | undefined;
  for (const f of findings) if (!worst || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]) worst = f.severity;
  return worst ?? fallback;
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
  const citeFinding = (f: Finding): Citation => linked(findingCitation(f), opts.linkBase);
  const citeEvidence = (e: Evidence): Citation => linked(evidenceCitation(e), opts.linkBase);

  // Checklists, one per category, in catalogue order.
  const categories: CategorySection[] = CATEGORIES.map((cat) => {
    const c = outcome.categories[cat];
    const lines: CheckLine[] = outcome.checks
      .filter((k) => k.category === cat)
      .map((k) => {
        const findings = (findingsByRule.get(k.id) ?? []).map(citeFinding);
        const evidence = k.evidence.map(citeEvidence);
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
    const citations = g.findings.length > 0 ? g.findings.map(citeFinding) : (check?.evidence ?? []).map(citeEvidence);
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
      effort: effortOf(g.findings, check),
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

  // The most important gaps: category weight × rule weight × severity × failing subjects.
  const planPriority = new Map<string, Priority>();
  for (const i of plan) if (!planPriority.has(i.ruleId)) planPriority.set(i.ruleId, i.priority);
  const gaps: Gap[] = outcome.checks
    .filter((k) => (k.status === 'fail' || k.status === 'partial') && k.weight > 0)
    .map((k) => {
      const m = meta.get(k.id);
      const findings = findingsByRule.get(k.id) ?? [];
      const severity = gapSeverity(findings, m?.severity ?? 'warning');
      const categoryWeight = outcome.categories[k.category].weight;
      const failing = Math.max(1, k.failing);
      const cited = findings.length > 0 ? findings.map(citeFinding) : k.evidence.map(citeEvidence);
      const { items, more } = cap(cited, 2);
      const priority = planPriority.get(k.id);
      return {
        ruleId: k.id,
        title: titleOf(k.id),
        helpUri: ruleDocUrl(k.id, tool),
        category: k.category,
        categoryLabel: CATEGORY_LABELS[k.category],
        status: k.status,
        summary: k.summary,
        goal: m?.summary ?? '',
        severity,
        categoryWeight,
        ruleWeight: k.weight,
        failing: k.failing,
        subjects: k.subjects,
        importance: categoryWeight * k.weight * SEVERITY_RANK[severity] * failing,
        counts: countBySeverity(findings),
        citations: items,
        more,
        ...(priority ? { priority } : {}),
      };
    })
    .filter((g) => g.importance > 0)
    .sort(
      (a, b) =>
        b.importance - a.importance ||
        (catalogueRank.get(a.ruleId) ?? Number.MAX_SAFE_INTEGER) - (catalogueRank.get(b.ruleId) ?? Number.MAX_SAFE_INTEGER) ||
        (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
    )
    .slice(0, opts.maxGaps ?? 3);

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
    gaps,
    severities: countBySeverity(outcome.findings),
    categories,
    plan,
    suppressed: outcome.suppressed.map((s) => ({ ruleId: s.ruleId, helpUri: ruleDocUrl(s.ruleId, tool), file: s.file, line: s.range.start.line, via: s.via, ...(s.reason !== undefined ? { reason: s.reason } : {}), ...(opts.linkBase !== undefined ? { href: fileHref(opts.linkBase, s.file, s.range.start.line) } : {}) })),
    errors: outcome.errors.map((e) => linked(e.line !== undefined ? { file: e.file, line: e.line, text: e.message } : { file: e.file, text: e.message }, opts.linkBase)),
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
